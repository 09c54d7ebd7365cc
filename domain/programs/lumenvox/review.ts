/**
 * The whole LumenVox review of one request: every rule that can be evaluated
 * with what was received, so one reply lists everything (DSK-6). LumenVox
 * sales and transfers carry no fee.
 */
import type { Account, RegistrySnapshot } from '../../registry-model.js';
import { discardedFieldFindings } from '../../discarded-fields.js';
import type { Clock } from '../../clock.js';
import { hold, info, fixableFail, type Finding } from '../../finding.js';
import { emptyPlan, type PlannedAccountTransfer, type ProgramPlan } from '../../program-plan.js';
import { checkLinkedAccounts, checkSaleAccounts, type AccountCheck } from './accounts.js';
import { checkAccountForm } from './forms.js';
import { describeQuantities, listWords, sendAgain } from './lookup.js';
import { checkQuantities } from './quantities.js';
import {
  ACCOUNT_FORM,
  type LumenvoxDetails,
  type LumenvoxRequest,
  type QuantityLine,
  type TransferKind,
} from './request.js';

/**
 * LVX-3: completing a sale (or a deployment, which is a sale) emails the
 * buyer. The buyer's contact addresses; a hold when there is none to mail.
 */
export function buyerMail(buyer: Account): { findings: Finding[]; contacts: string[] } {
  const contacts = [...buyer.contacts];
  if (contacts.length === 0) {
    return {
      findings: [
        hold(
          'LVX-3',
          `Account ${buyer.id}, the buyer, has no contact address on record, so the email that completes the sale cannot be sent. A rep will add a contact for ${buyer.id}.`,
        ),
      ],
      contacts,
    };
  }
  return {
    findings: [
      info('LVX-3', `When the sale completes, we email the buyer, account ${buyer.id}, at ${listWords(contacts)}.`),
    ],
    contacts,
  };
}

/**
 * LVX-4: a deployment owned by an end user sells its licenses to that end
 * user: they leave the seller's available licenses, land in the buyer's
 * deployed licenses and no longer appear in the seller's account. The
 * deployment needs a name.
 */
export function checkDeployment(
  req: LumenvoxRequest,
  accounts: AccountCheck,
  lines: readonly QuantityLine[],
): Finding[] {
  const form = req.forms[ACCOUNT_FORM];
  if (!form || form.transferKind !== 'deployment') return [];
  const name = form.deploymentName?.trim();
  if (!name) {
    const reported = req.formProblems.some(
      (p) => p.formId === ACCOUNT_FORM && p.field === 'deployment_name' && p.problem !== 'missing',
    );
    if (reported) return [];
    return [
      fixableFail(
        'LVX-4',
        'The License sale or transfer form asks for a deployment but does not name it (deployment_name is empty).',
        `Fill in "deployment_name" with the name of the new deployment owned by the end user and ${sendAgain(req)}.`,
      ),
    ];
  }
  const { from, to } = accounts;
  if (!from || !to) return [];
  const what = lines.length > 0 ? `its licenses (${describeQuantities(lines)})` : 'its licenses';
  return [
    info(
      'LVX-4',
      `Deployment "${name}" is created with account ${to.id} as its owner, which sells ${what} to ${to.id}: ` +
        `they leave the available licenses of account ${from.id} and are counted as deployed in account ${to.id}. They will no longer appear in account ${from.id}.`,
    ),
  ];
}

const isKind = (k: unknown): k is TransferKind => k === 'sale' || k === 'deployment' || k === 'linked-transfer';

/**
 * LVX-1 … LVX-5 with DSK-5/DSK-6. `plan.accountTransfers` holds one entry per
 * product that can be given (only once the kind is chosen and LVX-1 or LVX-5
 * allows the two accounts); `plan.extra` carries `transferKind`, `fromAccountId`,
 * `toAccountId`, `deploymentName` and, for a sale or deployment,
 * `buyerContacts` (LVX-3).
 */
export function reviewLumenvox(
  req: LumenvoxRequest,
  snap: RegistrySnapshot,
  _clock: Clock,
): ProgramPlan<LumenvoxDetails> {
  const findings: Finding[] = [];
  findings.push(...checkAccountForm(req)); // DSK-6
  findings.push(...discardedFieldFindings(req)); // DSK-5 (security codes)
  const form = req.forms[ACCOUNT_FORM];
  const plan = emptyPlan<LumenvoxDetails>(findings);
  if (!form) return plan;

  const kind = isKind(form.transferKind) ? form.transferKind : undefined;
  const accounts: AccountCheck =
    kind === 'linked-transfer'
      ? checkLinkedAccounts(req, snap) // LVX-5
      : kind !== undefined
        ? checkSaleAccounts(req, snap) // LVX-1
        : { findings: [], allowed: false };
  findings.push(...accounts.findings);
  const quantities = checkQuantities(req, accounts.from); // LVX-2
  findings.push(...quantities.findings);
  findings.push(...checkDeployment(req, accounts, quantities.lines)); // LVX-4

  const { from, to } = accounts;
  if (kind) plan.extra.transferKind = kind;
  if (from) plan.extra.fromAccountId = from.id;
  if (to) plan.extra.toAccountId = to.id;
  if (kind === 'deployment' && form.deploymentName?.trim()) plan.extra.deploymentName = form.deploymentName.trim();
  if ((kind === 'sale' || kind === 'deployment') && to && accounts.allowed) {
    const mail = buyerMail(to); // LVX-3
    findings.push(...mail.findings);
    plan.extra.buyerContacts = mail.contacts;
  }
  if (kind && from && to && accounts.allowed) {
    plan.accountTransfers = quantities.lines.map((l): PlannedAccountTransfer => ({
      kind,
      fromAccountId: from.id,
      toAccountId: to.id,
      product: l.product,
      quantity: l.quantity,
      ...(kind === 'deployment' ? { intoDeployed: true } : {}),
    }));
  }
  return plan;
}
