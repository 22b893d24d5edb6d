// Where a card of My tasks (and of the supervisor's board) leads: a letter, report or notes waiting
// for review opens the request's Letters & notes tab; every other task the request itself.
import type { MyTask } from '../api/types';

export const cardLink = (task: Pick<MyTask, 'type' | 'request'>): string =>
  task.type === 'draft_review' ? `/requests/${task.request.id}?tab=drafts` : `/requests/${task.request.id}`;
