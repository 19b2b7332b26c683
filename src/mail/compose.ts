import nodemailer from 'nodemailer';
import type { OutgoingMail } from '../core/messagePorts.ts';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

/** The RFC 5322 message (with Date and Message-ID) of a system mail, for storing it in a mailbox. */
export async function composeMail(mail: OutgoingMail): Promise<Buffer> {
  const info = await composer.sendMail(mail);
  return info.message as Buffer;
}
