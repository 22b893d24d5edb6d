// The five stages of the procedure (the shared transition table's stepper), with where this request
// is. At phone width a single line and a bar take the place of the full stepper.
import { Alert, Progress, Stack, Stepper, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { RequestDetails } from '../../api/types';

export function StageStepper({ request }: { request: RequestDetails }) {
  const narrow = useMediaQuery('(max-width: 48em)');
  const steps = request.stepper;
  const current = steps.findIndex((s) => s.state === 'current');
  const allDone = steps.every((s) => s.state === 'done' || s.state === 'skipped');
  const stopped = steps.some((s) => s.state === 'stopped');
  const active = current >= 0 ? current : allDone ? steps.length : 0;
  return (
    <>
      {narrow ? (
        <Stack gap={6} aria-label="Stages of the request">
          <Text size="sm">
            {stopped ? (
              <>Ended at {request.stageLabel.toLowerCase()}</>
            ) : allDone ? (
              <>All five stages done</>
            ) : (
              <>
                Stage {active + 1} of {steps.length}: <strong>{steps[active]?.label}</strong>
                {steps[active + 1] ? ` · next: ${steps[active + 1]?.label.toLowerCase()}` : ''}
              </>
            )}
          </Text>
          <Progress
            value={(100 * (allDone ? steps.length : active + 0.5)) / steps.length}
            color={stopped ? 'gray' : undefined}
            aria-hidden
          />
        </Stack>
      ) : (
        <Stepper
          active={active}
          size="sm"
          allowNextStepsSelect={false}
          aria-label="Stages of the request"
          color={stopped ? 'gray' : undefined}
        >
          {steps.map((s) => (
            <Stepper.Step
              key={s.stage}
              label={s.label}
              description={
                s.state === 'skipped' ? 'Not needed for this kind' : s.state === 'current' ? 'Now' : undefined
              }
              aria-current={s.state === 'current' ? 'step' : undefined}
            />
          ))}
        </Stepper>
      )}
      {stopped && (
        <Alert color="gray" mt="sm" title={`Ended: ${request.stageLabel}`}>
          {request.end?.reason ?? 'This request is closed.'}
        </Alert>
      )}
    </>
  );
}
