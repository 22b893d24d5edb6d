import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../components/States';

export function NotFoundPage() {
  return (
    <EmptyState
      title="Page not found"
      action={
        <Button component={Link} to="/" variant="light">
          Go to my tasks
        </Button>
      }
    >
      This address is not part of Release Desk. Your tasks and the request list are in the menu at the top.
    </EmptyState>
  );
}
