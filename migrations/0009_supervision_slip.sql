CREATE TABLE `supervision_slip` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`initiative_id` integer NOT NULL,
	`colour` text NOT NULL,
	`year` integer NOT NULL,
	`serial` integer NOT NULL,
	`number` text NOT NULL,
	`unit_id` integer NOT NULL,
	`issued_on` text NOT NULL,
	`issued_at` text NOT NULL,
	`issued_by` integer,
	`facts` text NOT NULL,
	`demand` text NOT NULL,
	`reply_by` text NOT NULL,
	`reply` text,
	`replied_by` integer,
	`replied_at` text,
	`voided_at` text,
	`voided_by` integer,
	`void_reason` text,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiative`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`unit_id`) REFERENCES `unit`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`replied_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`voided_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `supervision_slip_number_unique` ON `supervision_slip` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `supervision_slip_number_uq` ON `supervision_slip` (`colour`,`year`,`serial`);--> statement-breakpoint
CREATE INDEX `supervision_slip_item_idx` ON `supervision_slip` (`initiative_id`);--> statement-breakpoint
CREATE INDEX `supervision_slip_unit_idx` ON `supervision_slip` (`unit_id`,`replied_at`);--> statement-breakpoint
CREATE INDEX `supervision_slip_issued_idx` ON `supervision_slip` (`issued_on`);