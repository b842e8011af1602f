CREATE TABLE `attachment` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`initiative_id` integer NOT NULL,
	`report_id` integer,
	`milestone_id` integer,
	`slip_id` integer,
	`sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`captured_at` text,
	`uploaded_by` integer,
	`uploaded_at` text NOT NULL,
	`withdrawn_at` text,
	`withdrawn_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiative`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`report_id`) REFERENCES `progress_report`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`milestone_id`) REFERENCES `milestone`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`slip_id`) REFERENCES `supervision_slip`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sha256`) REFERENCES `stored_file`(`sha256`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`withdrawn_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachment_item_idx` ON `attachment` (`initiative_id`);--> statement-breakpoint
CREATE INDEX `attachment_report_idx` ON `attachment` (`report_id`);--> statement-breakpoint
CREATE INDEX `attachment_file_idx` ON `attachment` (`sha256`);--> statement-breakpoint
CREATE TABLE `stored_file` (
	`sha256` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`mime` text NOT NULL,
	`stored_at` text NOT NULL
);
