/**
 * @module A local SMTP server (smtp-server) on 127.0.0.1:0 for the SMTP adapter: STARTTLS with the
 * library's test certificate, AUTH PLAIN/LOGIN against one user, records every accepted message, and can
 * be scripted to answer MAIL FROM, RCPT TO or DATA with a given reply code, or never to answer DATA.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerError } from 'smtp-server'

/** A message the server accepted. */
export interface SmtpReceived {
  readonly mailFrom: string
  readonly rcptTo: string[]
  /** The message as sent, headers and body. */
  readonly raw: string
  /** Header name (lower case) → unfolded value. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Whether the session was upgraded with STARTTLS before the message. */
  readonly secure: boolean
}

/** A reply the next message gets at one SMTP stage, e.g. `{ stage: 'rcpt', code: 550, text: '5.1.1 User unknown' }`. */
export type SmtpFailure =
  | { readonly stage: 'mail' | 'rcpt' | 'data'; readonly code: number; readonly text: string }
  | { readonly stage: 'hang' }

/** The running server: what it accepted, and how to script it. */
export interface SmtpMock {
  readonly host: string
  readonly port: number
  readonly received: SmtpReceived[]
  failNext(failure: SmtpFailure): void
  close(): Promise<void>
}

/** `starttls: false` makes a server that does not offer STARTTLS (plaintext only). */
export async function startSmtpMock(opts: {
  user: string
  pass: string
  starttls?: boolean
}): Promise<SmtpMock> {
  const failures: SmtpFailure[] = []
  const received: SmtpReceived[] = []
  // One failure applies to one message: taken at MAIL FROM and kept on the session until its stage.
  const pending = new Map<string, SmtpFailure>()
  const fail = (f: SmtpFailure): SMTPServerError | undefined => {
    if (f.stage === 'hang') return undefined
    const err: SMTPServerError = new Error(f.text)
    err.responseCode = f.code
    return err
  }

  const server = new SMTPServer({
    logger: false,
    banner: 'mock ESMTP',
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: opts.starttls === false ? ['STARTTLS'] : [],
    // Without TLS, credentials would travel in clear; smtp-server refuses that unless told otherwise.
    allowInsecureAuth: opts.starttls === false,
    // Close forcibly soon after close(): a hanging DATA must not keep the test process waiting.
    closeTimeout: 200,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass) return cb(null, { user: auth.username })
      const err: SMTPServerError = new Error('5.7.8 Authentication credentials invalid')
      err.responseCode = 535
      return cb(err)
    },
    onMailFrom(_address, session, cb) {
      const f = failures.shift()
      if (f) pending.set(session.id, f)
      if (f?.stage === 'mail') return cb(fail(f))
      return cb()
    },
    onRcptTo(_address, session, cb) {
      const f = pending.get(session.id)
      if (f?.stage === 'rcpt') {
        pending.delete(session.id)
        return cb(fail(f))
      }
      return cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const f = pending.get(session.id)
        pending.delete(session.id)
        if (f?.stage === 'hang') return // never answers: the client's abort or timeout has to end it
        if (f?.stage === 'data') return cb(fail(f))
        const raw = Buffer.concat(chunks).toString('utf8')
        const split = raw.indexOf('\r\n\r\n')
        const head = split >= 0 ? raw.slice(0, split) : raw
        const headers: Record<string, string> = {}
        for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
          const i = line.indexOf(':')
          if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
        }
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers,
          body: split >= 0 ? raw.slice(split + 4) : '',
          secure: session.secure,
        })
        cb(null, `2.0.0 Ok: queued as ${received.length}`)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    host: '127.0.0.1',
    port,
    received,
    failNext: (f) => void failures.push(f),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
