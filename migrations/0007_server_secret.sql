CREATE TABLE `server_secret` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
