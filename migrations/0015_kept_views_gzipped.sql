PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_kept_view` (
	`key` text PRIMARY KEY NOT NULL,
	`format` integer NOT NULL,
	`body` blob NOT NULL,
	`kept_at` text NOT NULL
);
--> statement-breakpoint
-- Views kept before (format 2, plain JSON) are copied as they are: the reader computes again, and keeps
-- gzipped, a view kept in another format.
INSERT INTO `__new_kept_view`("key", "format", "body", "kept_at") SELECT "key", "format", "body", "kept_at" FROM `kept_view`;--> statement-breakpoint
DROP TABLE `kept_view`;--> statement-breakpoint
ALTER TABLE `__new_kept_view` RENAME TO `kept_view`;--> statement-breakpoint
PRAGMA foreign_keys=ON;