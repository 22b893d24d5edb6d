// The administrator's staff screen: the practice's accounts with their roles and supervisors; add a
// staff member (the one-time sign-in link to hand over is shown once), change roles, give a new
// sign-in link, deactivate; and the supervision links (one supervisor each, no cycles).
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  CopyButton,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/roles';
import {
  useCreateUser,
  useDeactivateUser,
  useLinkSupervisor,
  useNewSignInLink,
  useSupervisionLinks,
  useUnlinkSupervisor,
  useUpdateUser,
  useUsers,
} from '../../api/hooks';
import type { SignInLink, UserView } from '../../api/types';
import { useSession } from '../../app/session';
import { ActionError, EmptyState, ErrorState, Loading } from '../../components/States';
import { dateTime } from '../../lib/format';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function RolesField({
  value,
  onChange,
  error,
  legend,
}: {
  value: Role[];
  onChange: (roles: Role[]) => void;
  error?: string | undefined;
  legend: string;
}) {
  return (
    <Checkbox.Group label={legend} value={value} onChange={(v) => onChange(v as Role[])} error={error}>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={6} mt={6}>
        {ROLES.map((r) => (
          <Checkbox key={r} value={r} label={ROLE_LABELS[r]} />
        ))}
      </SimpleGrid>
    </Checkbox.Group>
  );
}

function LinkShown({ link, name }: { link: SignInLink; name: string }) {
  return (
    <Alert color="green" title={`Give this sign-in link to ${name}`} role="status">
      <Stack gap="xs">
        <Text size="sm">
          It works once, until {dateTime(link.expiresAt)}. They set a password and then their authenticator
          app. It is shown only now: copy it before you leave this page.
        </Text>
        <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }} data-testid="sign-in-link">
          {link.url}
        </Text>
        <Group>
          <CopyButton value={link.url}>
            {({ copied, copy }) => (
              <Button size="xs" variant="white" onClick={copy}>
                {copied ? 'Copied' : 'Copy the link'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}

function AddStaff() {
  const create = useCreateUser();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [made, setMade] = useState<{ name: string; link: SignInLink } | null>(null);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Write their name.';
    if (!EMAIL.test(email.trim())) found.email = 'Enter an email address.';
    if (roles.length === 0) found.roles = 'Give at least one role.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      { name: name.trim(), email: email.trim(), roles },
      {
        onSuccess: (answer) => {
          setMade({ name: answer.user.name, link: answer.signInLink });
          setName('');
          setEmail('');
          setRoles([]);
        },
      },
    );
  };
  return (
    <Paper withBorder radius="md" p="md">
      <form onSubmit={submit} noValidate aria-label="Add a staff member">
        <Stack gap="sm">
          <Title order={2} size="h4">
            Add a staff member
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.name}
              maxLength={200}
            />
            <TextInput
              label="Work email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={errors.email}
              maxLength={254}
            />
          </SimpleGrid>
          <RolesField legend="Roles" value={roles} onChange={setRoles} error={errors.roles} />
          <ActionError error={create.error} />
          {made && <LinkShown link={made.link} name={made.name} />}
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              Add and show the sign-in link
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function UserCard({
  user,
  users,
  supervisorOf,
}: {
  user: UserView;
  users: UserView[];
  supervisorOf: Map<string, string>;
}) {
  const me = useSession();
  const update = useUpdateUser();
  const deactivate = useDeactivateUser();
  const newLink = useNewSignInLink();
  const link = useLinkSupervisor();
  const unlink = useUnlinkSupervisor();
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [confirming, setConfirming] = useState(false);
  const changed = roles.length !== user.roles.length || roles.some((r) => !user.roles.includes(r));
  const supervisorId = supervisorOf.get(user.id) ?? null;
  const self = user.id === me.user.id;
  const candidates = users.filter((u) => u.active && u.id !== user.id && u.roles.includes('supervisor'));
  return (
    <Paper withBorder radius="md" p="md" component="article" aria-label={user.name}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={3} size="h5">
              {user.name}
            </Title>
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {user.email}
            </Text>
          </div>
          <Group gap={6}>
            {!user.active && (
              <Badge color="gray" variant="filled" radius="sm">
                Deactivated
              </Badge>
            )}
            {user.active && !user.mfaEnrolled && (
              <Badge color="orange" variant="light" radius="sm">
                Not signed in yet
              </Badge>
            )}
          </Group>
        </Group>
        {user.active ? (
          <>
            <RolesField legend={`Roles of ${user.name}`} value={roles} onChange={setRoles} />
            {changed && (
              <Group>
                <Button
                  size="xs"
                  onClick={() => update.mutate({ id: user.id, roles })}
                  loading={update.isPending}
                  disabled={roles.length === 0}
                >
                  Save the roles
                </Button>
                <Button size="xs" variant="subtle" onClick={() => setRoles(user.roles)}>
                  Undo
                </Button>
              </Group>
            )}
            <ActionError error={update.error} />
            <Select
              label={`Supervisor of ${user.name}`}
              placeholder="No supervisor"
              data={candidates.map((u) => ({ value: u.id, label: u.name }))}
              value={supervisorId}
              onChange={(v) => {
                const choose = () => v && link.mutate({ superviseeId: user.id, supervisorId: v });
                // One supervisor each: a change removes the old link, then makes the new one.
                if (supervisorId) unlink.mutate(user.id, { onSuccess: choose });
                else choose();
              }}
              clearable
              disabled={link.isPending || unlink.isPending}
              description={candidates.length === 0 ? 'Nobody else holds the Supervisor role yet.' : undefined}
            />
            <ActionError error={link.error ?? unlink.error} />
            <Text size="xs" c="dimmed">
              {user.lastLoginAt ? `Last signed in ${dateTime(user.lastLoginAt)}` : 'Has not signed in yet'}
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                variant="default"
                onClick={() => newLink.mutate(user.id)}
                loading={newLink.isPending}
              >
                New sign-in link
              </Button>
              {!self && (
                <Button size="xs" variant="subtle" color="red" onClick={() => setConfirming(true)}>
                  Deactivate
                </Button>
              )}
            </Group>
            {newLink.data && <LinkShown link={newLink.data.signInLink} name={user.name} />}
            <ActionError error={newLink.error ?? deactivate.error} />
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {user.roles.map((r) => ROLE_LABELS[r]).join(', ')} · deactivated{' '}
            {user.deactivatedAt ? dateTime(user.deactivatedAt) : ''}
          </Text>
        )}
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={`Deactivate ${user.name}?`}>
        <Stack gap="sm">
          <Text size="sm">
            They are signed out at once and can no longer sign in. Their open tasks go to their supervisor.
            Their name stays on everything they did.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Keep the account
            </Button>
            <Button
              color="red"
              loading={deactivate.isPending}
              onClick={() => deactivate.mutate(user.id, { onSettled: () => setConfirming(false) })}
            >
              Deactivate {user.name}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

export function StaffPage() {
  const me = useSession();
  const allowed = me.abilities.includes('manage_users');
  const users = useUsers(allowed);
  const links = useSupervisionLinks(allowed);
  if (!allowed) {
    return (
      <EmptyState title="Staff accounts are for administrators">
        Ask your practice&rsquo;s administrator to add someone or change a role.
      </EmptyState>
    );
  }
  const supervisorOf = new Map((links.data ?? []).map((l) => [l.superviseeId, l.supervisorId]));
  const active = users.data?.filter((u) => u.active) ?? [];
  const inactive = users.data?.filter((u) => !u.active) ?? [];
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Staff and supervision
      </Title>
      <AddStaff />
      {(users.isPending || links.isPending) && <Loading what="the staff" />}
      {users.isError && <ErrorState error={users.error} onRetry={() => void users.refetch()} />}
      {links.isError && <ErrorState error={links.error} onRetry={() => void links.refetch()} />}
      {users.data && links.data && (
        <>
          <Title order={2} size="h4">
            {active.length} active staff member{active.length === 1 ? '' : 's'}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {active.map((u) => (
              <UserCard
                key={`${u.id}-${u.roles.join()}`}
                user={u}
                users={users.data}
                supervisorOf={supervisorOf}
              />
            ))}
          </SimpleGrid>
          {inactive.length > 0 && (
            <>
              <Title order={2} size="h4">
                Deactivated
              </Title>
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                {inactive.map((u) => (
                  <UserCard key={u.id} user={u} users={users.data} supervisorOf={supervisorOf} />
                ))}
              </SimpleGrid>
            </>
          )}
        </>
      )}
    </Stack>
  );
}
