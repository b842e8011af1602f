CREATE TABLE `circular` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`month` text NOT NULL,
	`doc_number` text NOT NULL,
	`signed_on` text NOT NULL,
	`registered_by` integer,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`registered_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `circular_month_unique` ON `circular` (`month`);--> statement-breakpoint
CREATE UNIQUE INDEX `circular_doc_number_unique` ON `circular` (`doc_number`);