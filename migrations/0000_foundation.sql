CREATE TABLE `app_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `change_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` integer,
	`actor_label` text,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`before` text,
	`after` text,
	`note` text,
	FOREIGN KEY (`actor_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `change_log_entity_idx` ON `change_log` (`entity`,`entity_id`,`at`);--> statement-breakpoint
CREATE INDEX `change_log_at_idx` ON `change_log` (`at`);--> statement-breakpoint
CREATE TABLE `initiative` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`theme_id` integer NOT NULL,
	`source_id` integer NOT NULL,
	`source_quote` text NOT NULL,
	`quote_start` integer NOT NULL,
	`quote_end` integer NOT NULL,
	`position` integer NOT NULL,
	`lead_unit_id` integer,
	`leader` text,
	`start_on` text,
	`due_on` text,
	`status` text DEFAULT 'active' NOT NULL,
	`completed_on` text,
	`demo` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`theme_id`) REFERENCES `theme`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`source_id`) REFERENCES `source`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_unit_id`) REFERENCES `unit`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "initiative_quote_span" CHECK("initiative"."quote_start" >= 0 AND "initiative"."quote_end" > "initiative"."quote_start")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `initiative_code_unique` ON `initiative` (`code`);--> statement-breakpoint
CREATE INDEX `initiative_theme_idx` ON `initiative` (`theme_id`,`position`);--> statement-breakpoint
CREATE INDEX `initiative_lead_unit_idx` ON `initiative` (`lead_unit_id`);--> statement-breakpoint
CREATE INDEX `initiative_source_idx` ON `initiative` (`source_id`);--> statement-breakpoint
CREATE TABLE `initiative_co_unit` (
	`initiative_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	PRIMARY KEY(`initiative_id`, `unit_id`),
	FOREIGN KEY (`initiative_id`) REFERENCES `initiative`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`unit_id`) REFERENCES `unit`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `initiative_co_unit_unit_idx` ON `initiative_co_unit` (`unit_id`);--> statement-breakpoint
CREATE TABLE `milestone` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`initiative_id` integer NOT NULL,
	`title` text NOT NULL,
	`due_on` text NOT NULL,
	`weight` integer NOT NULL,
	`position` integer NOT NULL,
	`completed_on` text,
	`evidence` text,
	`demo` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiative`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "milestone_weight_positive" CHECK("milestone"."weight" > 0)
);
--> statement-breakpoint
CREATE INDEX `milestone_initiative_idx` ON `milestone` (`initiative_id`,`position`);--> statement-breakpoint
CREATE INDEX `milestone_due_idx` ON `milestone` (`due_on`);--> statement-breakpoint
CREATE TABLE `progress_report` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`initiative_id` integer NOT NULL,
	`month` text NOT NULL,
	`progress` text NOT NULL,
	`problems` text NOT NULL,
	`next_steps` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`reported_by` integer,
	`submitted_at` text,
	`reviewed_by` integer,
	`reviewed_at` text,
	`review_comment` text,
	`demo` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiative`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reported_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `progress_report_item_month_uq` ON `progress_report` (`initiative_id`,`month`);--> statement-breakpoint
CREATE INDEX `progress_report_month_idx` ON `progress_report` (`month`,`status`);--> statement-breakpoint
CREATE TABLE `source` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`speaker` text NOT NULL,
	`delivered_on` text NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `source_slug_unique` ON `source` (`slug`);--> statement-breakpoint
CREATE TABLE `theme` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `theme_code_unique` ON `theme` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `theme_name_unique` ON `theme` (`name`);--> statement-breakpoint
CREATE TABLE `unit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`position` integer NOT NULL,
	`demo` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `unit_code_unique` ON `unit` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `unit_name_unique` ON `unit` (`name`);--> statement-breakpoint
CREATE TABLE `user` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`unit_id` integer,
	`disabled` integer DEFAULT false NOT NULL,
	`demo` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `unit`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_username_unique` ON `user` (`username`);--> statement-breakpoint
CREATE INDEX `user_unit_idx` ON `user` (`unit_id`);