// The request's files: what was uploaded (the request, the signed authorization, legal papers, the
// records to release) and what Release Desk wrote (letters, packets). Each downloads through the
// server, which re-checks access and records the download in the audit log.
import {
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { FILE_TOO_LARGE_TEXT, MAX_FILE_BYTES, MAX_FILE_MB } from '../../../shared/files';
import { DOCUMENT_CLASS_LABELS, DOCUMENT_CLASSES, type DocumentClass } from '../../../shared/request-kinds';
import { useRequestFiles, useUploadFile } from '../../api/hooks';
import type { FileView } from '../../api/types';
import { ActionError, ErrorState, Loading } from '../../components/States';
import { dateTime, localDate } from '../../lib/format';

const GROUPS: ReadonlyArray<{ purpose: string; title: string }> = [
  { purpose: 'letter', title: 'Letters and notices we wrote' },
  { purpose: 'packet', title: 'Packets' },
  { purpose: 'record', title: 'Records to release' },
  { purpose: 'authorization', title: 'Authorizations' },
  { purpose: 'legal_document', title: 'Subpoenas, orders and other legal papers' },
  { purpose: 'request', title: 'The request itself' },
];

/** What staff may upload; letters and packets are written by Release Desk, never uploaded. */
const UPLOAD_PURPOSES = [
  { value: 'record', label: 'A record to release' },
  { value: 'authorization', label: 'A signed authorization' },
  { value: 'legal_document', label: 'A subpoena, order or other legal paper' },
  { value: 'request', label: 'The written request' },
];

const classOptions = DOCUMENT_CLASSES.map((c) => ({ value: c, label: DOCUMENT_CLASS_LABELS[c] }));

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function FileRow({ file, canDownload }: { file: FileView; canDownload: boolean }) {
  const href = `/api/requests/${encodeURIComponent(file.requestId)}/files/${encodeURIComponent(file.id)}`;
  return (
    <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
      <Stack gap={0} style={{ minWidth: 0 }}>
        {canDownload ? (
          <Anchor href={href} size="sm" style={{ overflowWrap: 'anywhere' }}>
            {file.name}
          </Anchor>
        ) : (
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {file.name}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {file.uploadedBy.name}, {dateTime(file.createdAt)} · {sizeText(file.size)}
          {(file.dateFrom || file.dateTo) &&
            ` · covers ${localDate(file.dateFrom)} to ${localDate(file.dateTo)}`}
        </Text>
      </Stack>
      {file.documentClass && (
        <Badge variant="light" color="gray" radius="sm" style={{ flexShrink: 0 }}>
          {DOCUMENT_CLASS_LABELS[file.documentClass as DocumentClass] ?? file.documentClass}
        </Badge>
      )}
    </Group>
  );
}

function UploadForm({ requestId }: { requestId: string }) {
  const mutation = useUploadFile(requestId);
  const [purpose, setPurpose] = useState<string | null>('record');
  const [documentClass, setDocumentClass] = useState<string | null>(null);
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  // Said as soon as the file is chosen, and nothing is sent: the server would refuse it (413).
  const tooLarge = file && file.size > MAX_FILE_BYTES ? FILE_TOO_LARGE_TEXT : undefined;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!file) return setMissing('Choose a PDF, JPEG or PNG file.');
    if (tooLarge) return;
    if (purpose === 'record' && !documentClass) return setMissing('Say what kind of record this is.');
    setMissing(null);
    const form = new FormData();
    // The fields go before the file: the server reads the form as a stream.
    form.append('purpose', purpose ?? 'record');
    if (purpose === 'record' && documentClass) form.append('documentClass', documentClass);
    if (dateFrom) form.append('dateFrom', dateFrom);
    if (dateTo) form.append('dateTo', dateTo);
    form.append('file', file);
    mutation.mutate(form, {
      // Only a stored file clears the form: after a refusal everything stays as it was typed.
      onSuccess: () => {
        setFile(null);
        setDateFrom('');
        setDateTo('');
      },
    });
  };

  return (
    <form onSubmit={submit} aria-label="Add a file">
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Select
            label="What is it?"
            data={UPLOAD_PURPOSES}
            value={purpose}
            onChange={setPurpose}
            allowDeselect={false}
          />
          {purpose === 'record' && (
            <Select
              label="Kind of record"
              placeholder="Choose"
              data={classOptions}
              value={documentClass}
              onChange={setDocumentClass}
            />
          )}
          <TextDate label="Covers from" value={dateFrom} onChange={setDateFrom} />
          <TextDate label="Covers to" value={dateTo} onChange={setDateTo} />
        </SimpleGrid>
        <FileInput
          label="File"
          placeholder={`PDF, JPEG or PNG, at most ${MAX_FILE_MB} MB`}
          accept="application/pdf,image/jpeg,image/png"
          value={file}
          onChange={setFile}
          clearable
          clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
          error={tooLarge}
        />
        {missing && (
          <Text size="sm" c="red" role="alert">
            {missing}
          </Text>
        )}
        <ActionError error={mutation.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={mutation.isPending}>
            Add the file
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function TextDate({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <TextInput type="date" label={label} value={value} onChange={(e) => onChange(e.currentTarget.value)} />
  );
}

export function FilesPanel({ requestId }: { requestId: string }) {
  const files = useRequestFiles(requestId);
  if (files.isPending) return <Loading what="the files" />;
  if (files.isError) return <ErrorState error={files.error} onRetry={() => void files.refetch()} />;
  const { files: list, abilities } = files.data;
  const canDownload = abilities.includes('download_file');
  const known = new Set(GROUPS.map((g) => g.purpose));
  const groups = [
    ...GROUPS,
    ...[...new Set(list.map((f) => f.purpose))]
      .filter((p) => !known.has(p))
      .map((p) => ({ purpose: p, title: p })),
  ];
  return (
    <Stack gap="sm">
      {list.length === 0 && (
        <Text size="sm" c="dimmed">
          No files yet. The signed authorization, the records to release and the letters we send will show
          here.
        </Text>
      )}
      {groups.map((group) => {
        const inGroup = list.filter((f) => f.purpose === group.purpose);
        if (inGroup.length === 0) return null;
        return (
          <Paper
            key={group.purpose}
            withBorder
            radius="md"
            p="sm"
            component="section"
            aria-label={group.title}
          >
            <Title order={3} size="h6" mb={6}>
              {group.title}
            </Title>
            <Stack gap={8}>
              {inGroup.map((f) => (
                <FileRow key={f.id} file={f} canDownload={canDownload} />
              ))}
            </Stack>
          </Paper>
        );
      })}
      {abilities.includes('upload_file') && (
        <Paper withBorder radius="md" p="sm">
          <Title order={3} size="h6" mb={6}>
            Add a file
          </Title>
          <UploadForm requestId={requestId} />
        </Paper>
      )}
    </Stack>
  );
}
