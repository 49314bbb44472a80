import nodemailer from 'nodemailer'

/** Why a send failed, as the sender sees it: retry later, or give up (the address is refused). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message)
    this.name = 'SendError'
  }
}

/** An e-mail channel (SMTP in production and tests). */
export interface EmailSender {
  send(msg: { to: string; subject: string; text: string }): Promise<{ messageId: string }>
  close(): void
}

export interface SmtpSettings {
  /** smtp://user:pass@host:port or smtps://…; credentials come from the environment, never from code. */
  url: string
  from: string
  /** Refuse to send without TLS (STARTTLS); on by default in production. */
  requireTls: boolean
}

/**
 * E-mail over SMTP with nodemailer. A 5xx answer to the recipient or the message is permanent;
 * connection failures, timeouts and 4xx answers are retried later. Logs nothing (addresses are
 * personal data).
 */
export function smtpSender(s: SmtpSettings): EmailSender {
  const transport = nodemailer.createTransport({ url: s.url, requireTLS: s.requireTls, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, logger: false, debug: false })
  return {
    async send(msg) {
      try {
        const info = await transport.sendMail({ from: s.from, to: msg.to, subject: msg.subject, text: msg.text, textEncoding: 'quoted-printable' })
        if (info.rejected.length) throw new SendError('recipient refused', true)
        return { messageId: info.messageId }
      } catch (err) {
        if (err instanceof SendError) throw err
        const code = (err as { responseCode?: number }).responseCode
        throw new SendError(code ? `SMTP ${code}` : `SMTP ${(err as { code?: string }).code ?? 'error'}`, code !== undefined && code >= 500)
      }
    },
    close: () => transport.close(),
  }
}
