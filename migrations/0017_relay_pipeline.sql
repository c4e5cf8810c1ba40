CREATE TABLE `relay_holds` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`message_id` bigint unsigned NOT NULL,
	`token` varchar(32) NOT NULL,
	`policy` varchar(64) NOT NULL,
	`reason` varchar(255) NOT NULL,
	`change` varchar(8) NOT NULL,
	`resume` longtext NOT NULL,
	`state` varchar(12) NOT NULL DEFAULT 'held',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `relay_holds_id` PRIMARY KEY(`id`),
	CONSTRAINT `relay_holds_token_uq` UNIQUE(`token`)
);
--> statement-breakpoint
ALTER TABLE `relay_links` ADD `variant` longtext;--> statement-breakpoint
CREATE INDEX `relay_holds_message_idx` ON `relay_holds` (`message_id`);