/**
 * E-mail through the office's SMTP relay (nodemailer: the maintained mail client for Node, with
 * STARTTLS, authentication and pooling). One transport per relay setting, kept while it stays the same.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpSettings } from './channels';

let kept: { settings: string; transport: Transporter } | null = null;

function transportFor(settings: SmtpSettings): Transporter {
	const key = JSON.stringify(settings);
	if (kept?.settings === key) return kept.transport;
	kept?.transport.close();
	const transport = nodemailer.createTransport({
		host: settings.host,
		port: settings.port,
		secure: settings.secure,
		auth: settings.username ? { user: settings.username, pass: settings.password ?? '' } : undefined,
		connectionTimeout: 15_000,
		greetingTimeout: 15_000,
		socketTimeout: 30_000
	});
	kept = { settings: key, transport };
	return transport;
}

export type Mail = { to: string; subject: string; text: string; messageId: string };

/** Sends `mail`; `signal` breaks the attempt off (nodemailer then closes its connection). */
export async function sendMail(settings: SmtpSettings, mail: Mail, signal?: AbortSignal): Promise<void> {
	await transportFor(settings).sendMail({
		signal,
		from: settings.from,
		to: mail.to,
		subject: mail.subject,
		text: mail.text,
		messageId: mail.messageId
	});
}
