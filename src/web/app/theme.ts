// Mantine's defaults with one calm accent colour (ux.md "Look"); shade 7 keeps white text on it
// above WCAG AA contrast.
import { Badge, createTheme, type MantineColorsTuple } from '@mantine/core';

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
  },
});
