/** @module The pino logger, with secrets redacted by path as a second line of defence. */
import { type Logger, pino } from 'pino'

export type { Logger }

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'verigate' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        '*.code',
        '*.secret',
        '*.token',
        '*.password',
      ],
      censor: '[redacted]',
    },
  })
}
