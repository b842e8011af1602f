CREATE TABLE `proposal` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`quote_start` integer NOT NULL,
	`quote_end` integer NOT NULL,
	`quote` text NOT NULL,
	`title` text NOT NULL,
	`lead_name` text,
	`lead_unit_id` integer,
	`co_units` text DEFAULT '[]' NOT NULL,
	`due_on` text,
	`milestones` text DEFAULT '[]' NOT NULL,
	`why` text DEFAULT '[]' NOT NULL,
	`duplicate_of` text,
	`status` text DEFAULT 'open' NOT NULL,
	`initiative_id` integer,
	`decided_by` integer,
	`decided_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `source`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_unit_id`) REFERENCES `unit`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiative`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `proposal_source_idx` ON `proposal` (`source_id`,`quote_start`);--> statement-breakpoint
ALTER TABLE `source` ADD `kind` text DEFAULT 'speech' NOT NULL;--> statement-breakpoint
ALTER TABLE `unit` ADD `short_names` text DEFAULT '' NOT NULL;