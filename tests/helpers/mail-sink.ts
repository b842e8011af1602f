/**
 * A real SMTP server for the tests (smtp-server, the library nodemailer's authors keep for this) that
 * parses every message it takes (mailparser). It can be told to refuse messages, like a relay that is
 * down or full.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export class MailSink {
	readonly messages: ParsedMail[] = [];
	/** While set, every message is refused with a 451 (try again later). */
	refusing = false;
	/** How long the server takes to accept a message it has read, like a relay that checks it first. */
	acceptDelayMs = 0;
	private server: SMTPServer;

	constructor() {
		this.server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			logger: false,
			onData: (stream, _session, done) => {
				if (this.refusing) {
					stream.resume();
					stream.on('end', () => done(Object.assign(new Error('mailbox busy'), { responseCode: 451 })));
					return;
				}
				simpleParser(stream)
					.then((mail) =>
						setTimeout(() => {
							// Taken: recorded as the 250 goes back, as a relay commits a message when it accepts it.
							this.messages.push(mail);
							done();
						}, this.acceptDelayMs)
					)
					.catch(done);
			}
		});
	}

	async start(): Promise<number> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return (this.server.server.address() as AddressInfo).port;
	}

	close(): Promise<void> {
		return new Promise((resolve) => this.server.close(resolve));
	}
}

/** A test database's relay settings (`saveSmtp`) pointing at a sink listening on `port`. */
export function relayAt(port: number) {
	return { host: '127.0.0.1', port, secure: false, username: null, password: null, from: '苏州市委督查室 <duchashi@suzhou.example>' };
}
