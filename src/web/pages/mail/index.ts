export { MailBanner } from './MailBanner';
export { OutboxPage } from './OutboxPage';
export { TemplatesPage } from './TemplatesPage';
export { TriagePage } from './TriagePage';
