// Mantine's defaults with one calm accent colour (ux.md "Look"); shade 7 keeps white text on it
// above WCAG AA contrast.
import {
  ActionIcon,
  Anchor,
  Badge,
  Checkbox,
  CloseButton,
  type CSSVariablesResolver,
  createTheme,
  type MantineColorsTuple,
  Radio,
  SegmentedControl,
  Switch,
} from '@mantine/core';

const desk: MantineColorsTuple = [
  '#e6f4f6',
  '#cde6ea',
  '#9dcdd6',
  '#69b2c0',
  '#3f9bad',
  '#2587a0',
  '#137a93',
  '#0b6a80',
  '#0b5c6b',
  '#064a57',
];

/** WCAG 2.2 2.5.8: the smallest target, in CSS px. */
export const MIN_TARGET = 24;

export const theme = createTheme({
  primaryColor: 'desk',
  primaryShade: 7,
  colors: { desk },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontWeight: '650' },
  focusRing: 'auto',
  components: {
    // Calm, sentence-case badges rather than Mantine's default capitals.
    Badge: Badge.extend({ defaultProps: { tt: 'none' } }),
    // WCAG 2.2 2.5.8 (target size, minimum): every control a finger presses is at least 24×24 CSS px,
    // once here for the whole app rather than per field. Mantine's 'sm' radio, checkbox and switch
    // are 20 px and its 'xs' segmented control 23 px; 'md' is 24 px. The phone-sized journeys measure
    // every target (e2e/support/wcag22.ts).
    // A link standing alone (a phone number, "Send a new code") is a line of small text, 16-20 px
    // tall; as an inline block it takes 24 px at least, and a long one (an email address) still wraps.
    Anchor: Anchor.extend({
      styles: {
        root: { display: 'inline-block', minHeight: MIN_TARGET, maxWidth: '100%', overflowWrap: 'anywhere' },
      },
    }),
    Radio: Radio.extend({ defaultProps: { size: 'md' } }),
    Checkbox: Checkbox.extend({ defaultProps: { size: 'md' } }),
    Switch: Switch.extend({ defaultProps: { size: 'md' } }),
    SegmentedControl: SegmentedControl.extend({
      styles: {
        label: { minHeight: MIN_TARGET, display: 'flex', alignItems: 'center', justifyContent: 'center' },
      },
    }),
    ActionIcon: ActionIcon.extend({ styles: { root: { minWidth: MIN_TARGET, minHeight: MIN_TARGET } } }),
    CloseButton: CloseButton.extend({ styles: { root: { minWidth: MIN_TARGET, minHeight: MIN_TARGET } } }),
  },
});

/**
 * Contrast (WCAG AA, 4.5:1, checked by axe in the browser journeys). Mantine's "dimmed" grey
 * (#868e96) is 3.3:1 on white, too faint for the small print that carries hints, dates and
 * who-is-waiting lines; #5c636a is 6:1 and still reads as secondary. The light variants (badges,
 * alerts, subtle buttons) write in shade 6 on a pale tint, 2–3.5:1 for orange, green or red: their
 * text takes a darker tone of each colour, at least 5:1 on its tint and on white.
 */
const READABLE_TEXT: Readonly<Record<string, string>> = {
  red: '#c52929',
  orange: '#b63c0d',
  yellow: '#a15300',
  green: '#247434',
  teal: '#077554',
  blue: '#1864ab',
  cyan: '#0b7082',
};

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    // Shown as text where an input has no native placeholder (file inputs, selects).
    '--mantine-color-placeholder': '#6b7178',
    // Every field's error text and border: Mantine's red 6 (#fa5252) is 3.3:1 on white; 5.6:1 here.
    '--mantine-color-error': READABLE_TEXT.red!,
    ...Object.fromEntries(
      Object.entries(READABLE_TEXT).flatMap(([color, text]) => [
        [`--mantine-color-${color}-light-color`, text],
        [`--mantine-color-${color}-text`, text],
      ]),
    ),
  },
  dark: {},
});
