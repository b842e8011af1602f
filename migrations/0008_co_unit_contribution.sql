CREATE TABLE `co_unit_contribution` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`initiative_id` integer NOT NULL,
	`month` text NOT NULL,
	`unit_id` integer NOT NULL,
	`opinion` text NOT NULL,
	`written_by` integer NOT NULL,
	`written_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiative`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`unit_id`) REFERENCES `unit`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`written_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `co_unit_contribution_uq` ON `co_unit_contribution` (`initiative_id`,`month`,`unit_id`);