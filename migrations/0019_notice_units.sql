ALTER TABLE `notification` ADD `unit_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `user_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `unit_id` integer;--> statement-breakpoint
-- Notices given before this migration: those of a unit's events (all but an instruction's answer,
-- which goes to its leader in person) are taken as got by their person as the staff of the unit
-- they are on now, so that a move from now on takes them out of the inbox.
UPDATE `notification` SET `unit_id` = (SELECT `unit_id` FROM `user` WHERE `user`.`id` = `notification`.`user_id` AND `user`.`role` = 'staff') WHERE `event` <> 'instruction_answered';
