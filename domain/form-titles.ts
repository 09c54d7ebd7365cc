/** Each form's title as the desk's findings name it to partners (DSK-6). */
import type { FormId } from '../forms/types.js';

export const FORM_TITLES: Record<FormId, string> = {
  'license-transfer/v1': 'License Transfer Form',
  'card-authorization/v1': 'Credit Card Authorization',
  'sso-migration/v1': 'Software Only Solution License Migration Worksheet',
  'swap-request/v1': 'License SWAP Request Form',
  'uninstall-declaration/v1': 'Declaration of uninstall',
  'account-transfer/v1': 'License sale or transfer form',
};
