/** Structured logs on stderr, so stdout stays clean for `--json`. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(name = 'licensedesk', level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      name,
      level,
      // Defence in depth for DSK-5 and DSK-11: card fields (a card revealed to billing included) and a password given
      // again before a reveal never reach a log line even if someone logs a whole object by mistake.
      redact: {
        paths: [
          '*.card_number',
          '*.cardNumber',
          '*.card_cvv',
          '*.cvv',
          'card_number',
          'cardNumber',
          'card.number',
          '*.card.number',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
