CREATE TABLE `customer_attributions` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`customer_id` bigint unsigned NOT NULL,
	`first_click_id` bigint unsigned NOT NULL,
	`last_click_id` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `customer_attributions_id` PRIMARY KEY(`id`),
	CONSTRAINT `customer_attributions_customer_uq` UNIQUE(`customer_id`)
);
--> statement-breakpoint
CREATE TABLE `link_clicks` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`link_id` bigint unsigned NOT NULL,
	`token` varchar(32) NOT NULL,
	`clicked_at` datetime(3) NOT NULL,
	`ip` varchar(45),
	`visitor` varchar(64) NOT NULL,
	`user_agent` varchar(512),
	`browser` varchar(64),
	`os` varchar(64),
	`device` varchar(64),
	`referrer` varchar(1024),
	`params` text,
	`customer_id` bigint unsigned,
	`started_at` datetime(3),
	CONSTRAINT `link_clicks_id` PRIMARY KEY(`id`),
	CONSTRAINT `link_clicks_token_uq` UNIQUE(`token`)
);
--> statement-breakpoint
CREATE TABLE `links` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`project_id` int unsigned NOT NULL,
	`code` varchar(16) NOT NULL,
	`name` varchar(128) NOT NULL,
	`params` text NOT NULL,
	`enabled` boolean NOT NULL DEFAULT true,
	`created_by` bigint,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `links_id` PRIMARY KEY(`id`),
	CONSTRAINT `links_code_uq` UNIQUE(`code`)
);
--> statement-breakpoint
CREATE INDEX `link_clicks_link_idx` ON `link_clicks` (`project_id`,`link_id`,`clicked_at`);--> statement-breakpoint
CREATE INDEX `link_clicks_customer_idx` ON `link_clicks` (`customer_id`);--> statement-breakpoint
CREATE INDEX `links_project_idx` ON `links` (`project_id`,`id`);