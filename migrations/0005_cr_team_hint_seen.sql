ALTER TABLE `assignments` ADD `cr_team_hint_seen` varchar(64);--> statement-breakpoint
ALTER TABLE `customers` ADD `cr_team_hint_seen` varchar(64);