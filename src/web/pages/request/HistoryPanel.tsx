// The request's history: its audit trail (views left out), newest first.
import { Table, Text } from '@mantine/core';
import type { RequestDetails } from '../../api/types';
import { EmptyState } from '../../components/States';
import { dateTime, eventLabel } from '../../lib/format';

export function HistoryPanel({ request }: { request: RequestDetails }) {
  if (request.history.length === 0) return <EmptyState title="No history yet" />;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>Who</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {request.history.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: history rows are immutable and ordered
            <Table.Tr key={`${h.at}-${i}`}>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {dateTime(h.at)}
                </Text>
              </Table.Td>
              <Table.Td>{eventLabel(h.type)}</Table.Td>
              <Table.Td>{h.actorName ?? 'Release Desk'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
