import { useTranslation } from 'react-i18next';
import { PageTitle } from '../Layout';

export default function StatusPage() {
  const { t } = useTranslation('status');
  return <PageTitle text={t('placeholderTitle')}>{t('placeholderTitle')}</PageTitle>;
}
