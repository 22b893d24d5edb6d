// A signature drawn with a finger, a pen or a mouse (pointer events, no page scroll while drawing).
// The keyboard alternative is typing the name (the page offers it first). Exported as a PNG data URL.
import { Button, Group, Text } from '@mantine/core';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

const WIDTH = 600;
const HEIGHT = 200;

export function SignatureCanvas({ onChange }: { onChange: (dataUrl: string | null) => void }) {
  const { t } = useTranslation('sign');
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) / rect.width) * WIDTH,
      y: ((e.clientY - rect.top) / rect.height) * HEIGHT,
    };
  };
  const stroke = (to: { x: number; y: number }) => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !last.current) return;
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#111';
    ctx.beginPath();
    ctx.moveTo(last.current.x, last.current.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last.current = to;
  };
  const end = () => {
    if (!last.current) return;
    last.current = null;
    onChange(canvas.current?.toDataURL('image/png') ?? null);
  };
  const clear = () => {
    const c = canvas.current;
    c?.getContext('2d')?.clearRect(0, 0, WIDTH, HEIGHT);
    last.current = null;
    onChange(null);
  };

  return (
    <div>
      <Text component="label" htmlFor="signature-canvas" fw={500} size="sm">
        {t('drawLabel')}
      </Text>
      <canvas
        id="signature-canvas"
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        aria-describedby="signature-canvas-hint"
        style={{
          display: 'block',
          width: '100%',
          aspectRatio: `${WIDTH} / ${HEIGHT}`,
          border: '2px solid #495057',
          borderRadius: 8,
          background: '#fff',
          touchAction: 'none',
          cursor: 'crosshair',
        }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          last.current = point(e);
          stroke({ x: last.current.x + 0.1, y: last.current.y + 0.1 });
        }}
        onPointerMove={(e) => {
          if (last.current) stroke(point(e));
        }}
        onPointerUp={end}
        onPointerCancel={end}
      />
      <Group justify="space-between" mt={4} wrap="wrap">
        <Text size="sm" id="signature-canvas-hint">
          {t('drawHint')}
        </Text>
        <Button variant="default" size="xs" onClick={clear}>
          {t('clear')}
        </Button>
      </Group>
    </div>
  );
}
