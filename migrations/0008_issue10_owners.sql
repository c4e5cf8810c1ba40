CREATE TABLE `agent_presence` (
	`user_id` bigint NOT NULL,
	`status` varchar(16),
	`status_at` datetime(3),
	`last_active_at` datetime(3),
	CONSTRAINT `agent_presence_user_id` PRIMARY KEY(`user_id`)
);
--> statement-breakpoint
ALTER TABLE `customers` ADD `owner_user_id` bigint;--> statement-breakpoint
ALTER TABLE `customers` ADD `conversation` varchar(16) DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `resolved_at` datetime(3);--> statement-breakpoint
ALTER TABLE `customers` ADD `queued_at` datetime(3);--> statement-breakpoint
ALTER TABLE `assignment_log` ADD `from_owner` bigint;--> statement-breakpoint
ALTER TABLE `assignment_log` ADD `to_owner` bigint;--> statement-breakpoint
ALTER TABLE `assignment_log` ADD `note` varchar(255);--> statement-breakpoint
CREATE INDEX `customers_owner_idx` ON `customers` (`project_id`,`owner_user_id`,`conversation`);--> statement-breakpoint
CREATE INDEX `customers_queue_idx` ON `customers` (`project_id`,`queued_at`);