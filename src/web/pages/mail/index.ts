export { MailBanner } from './MailBanner';
export { OutboxPage } from './OutboxPage';
export { TriagePage } from './TriagePage';
