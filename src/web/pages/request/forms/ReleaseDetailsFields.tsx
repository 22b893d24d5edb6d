// rule REL-1: what each form of delivery records with the release (the release body's `details`).
// The fields are named `details.<field>` so the API's 400 lands next to the field it names.
import { SimpleGrid, Textarea, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';

export interface DetailValues {
  postedOn: string;
  carrier: string;
  trackingNumber: string;
  on: string;
  attendedBy: string;
  identityCheck: string;
  faxNumber: string;
  confirmation: string;
  to: string;
  warnedAt: string;
  warning: string;
  clientAskedAt: string;
  discussedAt: string;
  withWhom: string;
  discussed: string;
}

export const EMPTY_DETAILS: DetailValues = {
  postedOn: '',
  carrier: '',
  trackingNumber: '',
  on: '',
  attendedBy: '',
  identityCheck: '',
  faxNumber: '',
  confirmation: '',
  to: '',
  warnedAt: '',
  warning: '',
  clientAskedAt: '',
  discussedAt: '',
  withWhom: '',
  discussed: '',
};

const blank = (v: string) => (v.trim() === '' ? undefined : v.trim());
/** A local date-time from an <input type="datetime-local"> as an ISO instant. */
const instant = (v: string) => (v ? new Date(v).toISOString() : undefined);

/** The `details` the API expects for this form of delivery (undefined fields are left out). */
export function detailsFor(method: string | null, d: DetailValues): Record<string, unknown> | undefined {
  switch (method) {
    case 'mail':
      return {
        postedOn: blank(d.postedOn),
        carrier: blank(d.carrier),
        trackingNumber: blank(d.trackingNumber),
      };
    case 'pickup':
    case 'inspection':
      return { on: blank(d.on), attendedBy: blank(d.attendedBy), identityCheck: blank(d.identityCheck) };
    case 'fax':
      return { faxNumber: blank(d.faxNumber), confirmation: blank(d.confirmation) };
    case 'email':
      return {
        to: blank(d.to),
        riskWarning: {
          warnedAt: instant(d.warnedAt),
          warning: blank(d.warning),
          clientAskedAt: instant(d.clientAskedAt),
        },
      };
    case 'verbal':
      return {
        discussedAt: instant(d.discussedAt),
        withWhom: blank(d.withWhom),
        discussed: blank(d.discussed),
      };
    default:
      return undefined;
  }
}

type InputProps = (path: string) => GetInputPropsReturnType;

export function ReleaseDetailsFields({
  method,
  inputProps,
}: {
  method: string | null;
  inputProps: InputProps;
}) {
  const p = (field: string) => inputProps(`details.${field}`);
  switch (method) {
    case 'mail':
      return (
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <TextInput type="date" label="Date posted" required {...p('postedOn')} />
          <TextInput label="Carrier (optional)" {...p('carrier')} />
          <TextInput label="Tracking number" required {...p('trackingNumber')} />
        </SimpleGrid>
      );
    case 'pickup':
    case 'inspection':
      return (
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <TextInput type="date" label="Date" required {...p('on')} />
          <TextInput
            label={method === 'pickup' ? 'Collected by' : 'Attended by'}
            required
            {...p('attendedBy')}
          />
          <TextInput label="How their identity was checked" required {...p('identityCheck')} />
        </SimpleGrid>
      );
    case 'fax':
      return (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput label="Fax number" required {...p('faxNumber')} />
          <TextInput label="Confirmation (transmission report)" required {...p('confirmation')} />
        </SimpleGrid>
      );
    case 'email':
      return (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput type="email" label="Sent to" required {...p('to')} />
          <TextInput
            type="datetime-local"
            label="When the client was warned of the risk"
            required
            {...p('warnedAt')}
          />
          <Textarea label="What the client was told about the risk" required autosize {...p('warning')} />
          <TextInput
            type="datetime-local"
            label="When the client asked for email all the same"
            required
            {...p('clientAskedAt')}
          />
        </SimpleGrid>
      );
    case 'verbal':
      return (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput type="datetime-local" label="When it was discussed" required {...p('discussedAt')} />
          <TextInput label="With whom" required {...p('withWhom')} />
          <Textarea label="What was discussed" required autosize {...p('discussed')} />
        </SimpleGrid>
      );
    default:
      return null;
  }
}
