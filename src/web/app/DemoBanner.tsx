// "Demo — not for real records", on every page of a demo server (sign-in included).
import { Box, Text } from '@mantine/core';

/** The banner's height: the app's sticky header sits just below it. */
export const DEMO_BANNER_HEIGHT = 34;

export function DemoBanner({ banner }: { banner: string }) {
  return (
    <Box
      role="note"
      aria-label="Demo server"
      px="md"
      h={DEMO_BANNER_HEIGHT}
      style={{
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#fff4d6',
        borderBottom: '2px solid #e0a800',
        color: '#5c3d00',
        position: 'sticky',
        top: 0,
        zIndex: 300,
      }}
    >
      <Text fw={700} size="sm">
        {banner}
      </Text>
    </Box>
  );
}
