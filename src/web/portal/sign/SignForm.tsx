// The signature: typed name (first: it works with a keyboard alone) or drawn, the two consents, and
// the hash of the form the page showed. The server adds the date, time and IP; nothing else is sent.
import { Button, Checkbox, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortalSignBody, PortalSigned, PortalSignView } from '../../../shared/schemas/portal-sign';
import { PortalError, postJson } from '../api';
import { SignatureCanvas } from './SignatureCanvas';

export function SignForm({
  url,
  view,
  onSigned,
}: {
  url: string;
  view: PortalSignView;
  onSigned: (signed: PortalSigned) => void;
}) {
  const { t } = useTranslation('sign');
  const [method, setMethod] = useState<'typed' | 'drawn'>('typed');
  const [typedName, setTypedName] = useState('');
  const [image, setImage] = useState<string | null>(null);
  const [readAndAgree, setRead] = useState(false);
  const [electronicSignature, setElectronic] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (method === 'drawn' && !image) {
      setError(t('drawFirst'));
      return;
    }
    // The server's schema says the same (portalSignatureSchema), in English: say it here in the page's words.
    if (method === 'typed' && typedName.trim().length < 2) {
      setError(t('typedTooShort'));
      return;
    }
    if (!readAndAgree || !electronicSignature) {
      setError(t('consentMissing'));
      return;
    }
    const body = {
      sha256: view.sha256 ?? '',
      signature: method === 'typed' ? { method, typedName } : { method, image: image ?? '' },
      consent: { readAndAgree, electronicSignature },
    } as PortalSignBody;
    setBusy(true);
    try {
      onSigned(await postJson<PortalSigned>(url, body));
    } catch (err) {
      setError(err instanceof PortalError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={(e) => void submit(e)} aria-labelledby="sign-heading">
      <Stack gap="md">
        <Title order={2} size="h3" id="sign-heading">
          {t('signHeading')}
        </Title>
        {view.signerName && <Text>{t('signAs', { name: view.signerName })}</Text>}
        <Radio.Group
          label={t('method.label')}
          value={method}
          onChange={(v) => setMethod(v === 'drawn' ? 'drawn' : 'typed')}
        >
          <Stack gap="xs" mt={6}>
            <Radio value="typed" label={t('method.typed')} />
            <Radio value="drawn" label={t('method.drawn')} />
          </Stack>
        </Radio.Group>
        {method === 'typed' ? (
          <TextInput
            label={t('typedLabel')}
            description={t('typedHint')}
            value={typedName}
            onChange={(e) => setTypedName(e.currentTarget.value)}
            autoComplete="name"
            required
            maxLength={200}
            size="md"
          />
        ) : (
          <SignatureCanvas onChange={setImage} />
        )}
        <Checkbox
          label={t('consentRead')}
          checked={readAndAgree}
          onChange={(e) => setRead(e.currentTarget.checked)}
          required
        />
        <Checkbox
          label={t('consentSign')}
          checked={electronicSignature}
          onChange={(e) => setElectronic(e.currentTarget.checked)}
          required
        />
        {error && (
          <Text c="red.9" role="alert">
            {error}
          </Text>
        )}
        <Button type="submit" size="md" loading={busy}>
          {busy ? t('signing') : t('submit')}
        </Button>
      </Stack>
    </Paper>
  );
}
