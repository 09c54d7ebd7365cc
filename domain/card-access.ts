/**
 * Who may see card data (DSK-11): a card number is shown in full only to a
 * billing account, only to charge it. Every page, route or mail that could
 * show more of a card than its last four digits asks here first.
 */
export function maySeeCardData(role: string | undefined | null): boolean {
  return role === 'billing';
}
