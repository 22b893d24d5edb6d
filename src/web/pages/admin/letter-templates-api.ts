// Query hooks for the practice's own templates of letters, reports and verbal-discussion notes
// (issue 6, procedure step 4): GET/POST/PUT /api/drafts/templates, an administrator's.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DraftTemplatePlaceholder, PracticeTemplateView } from '../../../shared/schemas/drafts';
import { ApiError, api, get, post } from '../../api/client';

const URL = '/api/drafts/templates';
export const letterTemplateKeys = { list: ['drafts', 'templates'] as const };

export interface LetterTemplatesView {
  templates: PracticeTemplateView[];
  placeholders: DraftTemplatePlaceholder[];
}

export interface LetterTemplateInput {
  kind: PracticeTemplateView['kind'];
  label: string;
  description: string;
  title: string;
  body: string;
  active: boolean;
}

export function useLetterTemplates() {
  return useQuery({
    queryKey: letterTemplateKeys.list,
    queryFn: () => get<LetterTemplatesView>(URL),
    retry: (count: number, error: Error) =>
      count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
  });
}

/** Add a template (no id) or change one (with its id). */
export function useSaveLetterTemplate(id: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LetterTemplateInput) =>
      id
        ? api<PracticeTemplateView>('PUT', `${URL}/${encodeURIComponent(id)}`, body)
        : post<PracticeTemplateView>(URL, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: letterTemplateKeys.list }),
  });
}
