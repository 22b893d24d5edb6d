// Dates and small phrases for screens. The API already gives due dates in the practice's time zone
// ("Tue 1 Dec (in 3 days)"); these format the rest.

/** "Tue 1 Dec 2026, 09:30" in the viewer's time zone. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** "1 Dec 2026" for a local date "2026-12-01". */
export function localDate(date: string | null): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** "3 days left", "due today", "2 days overdue". */
export function daysLeftText(days: number | null): string {
  if (days === null) return 'closed';
  if (days === 0) return 'due today';
  if (days === 1) return '1 day left';
  if (days > 1) return `${days} days left`;
  return days === -1 ? '1 day overdue' : `${-days} days overdue`;
}

/** The badge colour for days left: red only when truly late (ux.md principle 2). */
export function urgencyColor(days: number | null, overdue: boolean): string {
  if (overdue) return 'red';
  if (days === null) return 'gray';
  if (days <= 3) return 'orange';
  return 'desk';
}

/** The value of an <input type="datetime-local"> for now, in the viewer's time zone. */
export function nowForInput(now = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** "request.client_discussion_submitted" → "Client discussion submitted". */
export function eventLabel(type: string): string {
  const [, rest = type] = type.split('.', 2);
  const words = rest.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
