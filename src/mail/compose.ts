import nodemailer from 'nodemailer';
import type { OutgoingMail } from '../core/messagePorts.ts';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

/** An answer to a message: it names the message it answers, and may have no HTML. */
export interface ReplyMail extends Omit<OutgoingMail, 'html'> {
  html?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
}

/** The RFC 5322 message (with Date and Message-ID) of a system mail, for storing it in a mailbox. */
export async function composeMail(mail: OutgoingMail | ReplyMail): Promise<Buffer> {
  const info = await composer.sendMail(mail);
  return info.message as Buffer;
}
