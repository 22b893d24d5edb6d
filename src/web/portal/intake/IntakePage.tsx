// The public request form at /request (issue 7): the kind of request first, then one question per
// screen with only that kind's fields, the emailed code, and a confirmation with the request number
// and what happens next. The proof of work is solved in the background (Web Crypto) while the
// requester reads and types, so they never wait for it.
import { Alert, Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { IntakePractice, IntakeReceipt, PowSolution } from '../../../shared/schemas/portal-intake';
import { PortalError } from '../api';
import { isLanguage } from '../i18n';
import { PageTitle, usePracticeName } from '../Layout';
import { askCode, fetchPractice, sendRequest, solvedChallenge } from './api';
import {
  ChoiceFields,
  ClientFields,
  CodeFields,
  DeliveryFields,
  DocumentsFields,
  EmailFields,
  type FieldProps,
  LegalFields,
  PurposeFields,
  RecipientFields,
  RecordsFields,
  RequesterFields,
} from './Fields';
import { type Answers, EMPTY_ANSWERS, type Files, type StepId, stepsFor, submission } from './flow';
import { StepFrame } from './StepFrame';
import { type StepErrors, validateStep } from './validate';

const FIELDS: Record<Exclude<StepId, 'documents'>, React.ComponentType<FieldProps>> = {
  choice: ChoiceFields,
  requester: RequesterFields,
  client: ClientFields,
  recipient: RecipientFields,
  records: RecordsFields,
  purpose: PurposeFields,
  legal: LegalFields,
  delivery: DeliveryFields,
  email: EmailFields,
  code: CodeFields,
};

type Solved = PowSolution & { ms: number };

function Done({ receipt, practice }: { receipt: IntakeReceipt; practice: IntakePractice }) {
  const { t } = useTranslation('intake');
  return (
    <Stack gap="md">
      <PageTitle text={t('done.title')}>{t('done.title')}</PageTitle>
      <div>
        <Text>{t('done.number')}</Text>
        <Title order={2} size="h1" data-testid="request-number">
          {receipt.number}
        </Title>
      </div>
      <Text>{t('done.next1', { email: receipt.email })}</Text>
      <Text>{t('done.next2')}</Text>
      <Text>{t('done.next3')}</Text>
      <Text>
        {t('done.contact', { practice: practice.name, phone: practice.phone ? ` (${practice.phone})` : '' })}
      </Text>
    </Stack>
  );
}

export default function IntakePage() {
  const { t, i18n } = useTranslation('intake');
  const { t: tc } = useTranslation();
  const [params] = useSearchParams();
  const [practice, setPractice] = useState<IntakePractice | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [a, setAnswers] = useState<Answers>(EMPTY_ANSWERS);
  const [files, setFiles] = useState<Files>({});
  const [index, setIndex] = useState(0);
  const [errors, setErrors] = useState<StepErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<IntakeReceipt | null>(null);
  const [powMs, setPowMs] = useState<number | null>(null);
  const pow = useRef<Promise<Solved> | null>(null);
  usePracticeName(practice?.name, practice ?? {});

  const nextPow = useCallback(() => {
    const p = solvedChallenge();
    p.then((s) => setPowMs(s.ms)).catch(() => undefined);
    pow.current = p;
  }, []);

  useEffect(() => {
    fetchPractice(params.get('practice'))
      .then(setPractice)
      .catch(() => setLoadError('errors.noPractice'));
    nextPow();
  }, [params, nextPow]);

  const steps = stepsFor(a.kind);
  const step = steps[Math.min(index, steps.length - 1)]!;
  /** An answer changed: its error (and the summary, once nothing is left to fix) goes away. */
  const clearErrors = (keys: string[]) =>
    setErrors((prev) => {
      const left = Object.fromEntries(Object.entries(prev).filter(([k]) => !keys.includes(k)));
      if (Object.keys(left).length === 0) setFormError(null);
      return left;
    });
  const set = (patch: Partial<Answers>) => {
    setAnswers((prev) => ({ ...prev, ...patch }));
    clearErrors(Object.keys(patch));
  };
  const language = isLanguage(i18n.language) ? i18n.language : 'en';

  const explain = (err: unknown): string => {
    if (err instanceof PortalError) {
      const key = `errors.${err.code}`;
      return i18n.exists(key, { ns: 'intake' }) ? t(key as 'errors.code_wrong') : err.message;
    }
    return tc('errors.server');
  };

  const takePow = async (): Promise<PowSolution> => {
    const current = pow.current ?? solvedChallenge();
    nextPow(); // every challenge is good once: the next call gets a fresh one
    const { challenge, nonce } = await current;
    return { challenge, nonce };
  };

  const sendCode = async () => {
    await askCode({
      practiceId: practice!.practiceId,
      email: a.email.trim(),
      language,
      website: a.website,
      pow: await takePow(),
    });
  };

  const next = async () => {
    const found = validateStep(step, a, files);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError(t('fixBelow'));
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.focus());
      return;
    }
    setFormError(null);
    if (step === 'email' || step === 'code') {
      setBusy(true);
      try {
        if (step === 'email') await sendCode();
        else
          setReceipt(
            await sendRequest(submission(practice!.practiceId, language, a, await takePow()), files, {
              network: tc('errors.network'),
              server: tc('errors.server'),
              tooMany: tc('errors.tooMany'),
            }),
          );
        if (step === 'email') setIndex(index + 1);
      } catch (err) {
        setFormError(explain(err));
      } finally {
        setBusy(false);
      }
      return;
    }
    setIndex(index + 1);
  };

  const back = () => {
    setErrors({});
    setFormError(null);
    setIndex(Math.max(0, index - 1));
  };

  if (loadError) {
    return (
      <Stack>
        <PageTitle text={tc('notFoundTitle')}>{tc('notFoundTitle')}</PageTitle>
        <Alert color="red" variant="light">
          {t(loadError as 'errors.noPractice')}
        </Alert>
      </Stack>
    );
  }
  if (!practice) {
    return (
      <Center py="xl">
        <Loader aria-label={tc('loading')} />
      </Center>
    );
  }
  if (receipt) return <Done receipt={receipt} practice={practice} />;

  const title =
    step === 'client'
      ? t(a.kind === 'own_records' || a.kind === 'send_to_someone' ? 'client.titleSelf' : 'client.titleOther')
      : t(`${step}.title`);
  const props: FieldProps = { a, set, errors };
  const StepFields = step === 'documents' ? null : FIELDS[step];
  return (
    <div data-pow-ms={powMs ?? undefined}>
      {!practice.emailCodes && (
        <Alert color="yellow" variant="light" mb="md">
          {t('email.noEmail')}
        </Alert>
      )}
      <StepFrame
        key={step}
        title={title}
        n={index + 1}
        total={steps.length}
        error={formError}
        busy={busy}
        nextLabel={step === 'email' ? t('email.send') : step === 'code' ? t('code.submit') : undefined}
        onBack={index > 0 ? back : null}
        onNext={() => void next()}
      >
        {StepFields === null ? (
          <DocumentsFields
            {...props}
            files={files}
            setFile={(field, file) => {
              setFiles((prev) => ({ ...prev, [field]: file ?? undefined }));
              clearErrors([field]);
            }}
          />
        ) : (
          <StepFields {...props} />
        )}
        {step === 'code' && (
          <Button
            variant="subtle"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              sendCode()
                .then(() => setFormError(t('code.resent')))
                .catch((err: unknown) => setFormError(explain(err)))
                .finally(() => setBusy(false));
            }}
          >
            {t('code.resend')}
          </Button>
        )}
      </StepFrame>
    </div>
  );
}
