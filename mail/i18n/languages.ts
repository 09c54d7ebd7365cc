/** The languages the desk writes to partners in (mail, the status page, /open); `en` when a partner names none. */
export const PARTNER_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'nl'] as const;
export type PartnerLanguage = (typeof PARTNER_LANGUAGES)[number];
