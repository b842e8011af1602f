CREATE TABLE `kept_view` (
	`key` text PRIMARY KEY NOT NULL,
	`format` integer NOT NULL,
	`body` text NOT NULL,
	`kept_at` text NOT NULL
);
