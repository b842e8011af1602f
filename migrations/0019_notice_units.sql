ALTER TABLE `notification` ADD `unit_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `user_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `unit_id` integer;