-- The security log, like the history, can only grow.
CREATE TRIGGER `security_event_no_update` BEFORE UPDATE ON `security_event`
BEGIN
	SELECT RAISE(ABORT, 'security_event is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `security_event_no_delete` BEFORE DELETE ON `security_event`
BEGIN
	SELECT RAISE(ABORT, 'security_event is append-only');
END;
