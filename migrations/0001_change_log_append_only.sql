-- The history is the record of who changed what: nobody may edit or remove it, not even the application.
CREATE TRIGGER `change_log_no_update` BEFORE UPDATE ON `change_log`
BEGIN
	SELECT RAISE(ABORT, 'change_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `change_log_no_delete` BEFORE DELETE ON `change_log`
BEGIN
	SELECT RAISE(ABORT, 'change_log is append-only');
END;
