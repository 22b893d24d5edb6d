// rule KIND-2, AUTH-1: whom the client directs the copy to, on a client-directed request. Optional
// here (staff may not know it yet); without a name the practice prepares the authorization itself.
import { Paper, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { NewRequestValues } from './values';

export function RecipientFields({ form }: { form: UseFormReturnType<NewRequestValues> }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Who receives the copy">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Who receives the copy
        </Title>
        <Text size="sm" c="dimmed">
          The person or organization the client wants the records sent to. It goes on the client’s signed
          permission (AUTH-1).
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Recipient’s name" {...form.getInputProps('recipient.name')} />
          <TextInput
            label="Organization"
            description="Optional"
            {...form.getInputProps('recipient.organization')}
          />
          <TextInput
            label="Recipient’s email"
            type="email"
            description="Optional"
            {...form.getInputProps('recipient.email')}
          />
        </SimpleGrid>
        <Textarea
          label="Recipient’s postal address"
          description="Optional"
          autosize
          minRows={2}
          {...form.getInputProps('recipient.address')}
        />
      </Stack>
    </Paper>
  );
}
