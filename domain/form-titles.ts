/** Each form's title as the desk's findings name it to partners (DSK-6): the title printed on the form. */
import { FORM_SPECS } from '../forms/specs.js';
import type { FormId } from '../forms/types.js';

export const FORM_TITLES: Readonly<Record<FormId, string>> = Object.fromEntries(
  Object.entries(FORM_SPECS).map(([id, spec]) => [id, spec.title]),
) as Record<FormId, string>;
