CREATE TABLE `drawing` (
	`id` text PRIMARY KEY NOT NULL,
	`scene_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`kind` text DEFAULT 'pen' NOT NULL,
	`layer` text DEFAULT 'players' NOT NULL,
	`points` text DEFAULT '' NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`color` text DEFAULT '#e03131' NOT NULL,
	`width` real DEFAULT 4 NOT NULL,
	`opacity` real DEFAULT 1 NOT NULL,
	FOREIGN KEY (`scene_id`) REFERENCES `scene`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "drawing_kind_check" CHECK("drawing"."kind" IN ('pen', 'line', 'rect', 'ellipse', 'text')),
	CONSTRAINT "drawing_layer_check" CHECK("drawing"."layer" IN ('players', 'gm')),
	CONSTRAINT "drawing_points_check" CHECK(length("drawing"."points") <= 60000),
	CONSTRAINT "drawing_text_check" CHECK(length("drawing"."text") <= 500),
	CONSTRAINT "drawing_color_check" CHECK("drawing"."color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "drawing_width_check" CHECK("drawing"."width" BETWEEN 0.5 AND 64),
	CONSTRAINT "drawing_opacity_check" CHECK("drawing"."opacity" BETWEEN 0.05 AND 1)
);

--> statement-breakpoint
CREATE INDEX `drawing_scene_idx` ON `drawing` (`scene_id`);
--> statement-breakpoint
CREATE TABLE `template` (
	`id` text PRIMARY KEY NOT NULL,
	`scene_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`shape` text DEFAULT 'circle' NOT NULL,
	`origin_x` real DEFAULT 0 NOT NULL,
	`origin_y` real DEFAULT 0 NOT NULL,
	`size` real DEFAULT 20 NOT NULL,
	`width` real DEFAULT 5 NOT NULL,
	`direction` real DEFAULT 0 NOT NULL,
	`cone_angle` text DEFAULT '53' NOT NULL,
	`color` text DEFAULT '#ff6b00' NOT NULL,
	`opacity` real DEFAULT 0.35 NOT NULL,
	`gm_only` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`scene_id`) REFERENCES `scene`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "template_shape_check" CHECK("template"."shape" IN ('circle', 'cone', 'square', 'line')),
	CONSTRAINT "template_origin_x_check" CHECK("template"."origin_x" BETWEEN -100000 AND 100000),
	CONSTRAINT "template_origin_y_check" CHECK("template"."origin_y" BETWEEN -100000 AND 100000),
	CONSTRAINT "template_size_check" CHECK("template"."size" BETWEEN 0.5 AND 10000),
	CONSTRAINT "template_width_check" CHECK("template"."width" BETWEEN 0.5 AND 1000),
	CONSTRAINT "template_direction_check" CHECK("template"."direction" BETWEEN -360 AND 360),
	CONSTRAINT "template_cone_angle_check" CHECK("template"."cone_angle" IN ('53', '90')),
	CONSTRAINT "template_color_check" CHECK("template"."color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "template_opacity_check" CHECK("template"."opacity" BETWEEN 0.05 AND 1),
	CONSTRAINT "template_gm_only_check" CHECK("template"."gm_only" IN (0, 1))
);

--> statement-breakpoint
CREATE INDEX `template_scene_idx` ON `template` (`scene_id`);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;
--> statement-breakpoint
CREATE TABLE `__new_scene` (
	`id` text PRIMARY KEY NOT NULL,
	`game_session_id` text NOT NULL,
	`name` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`last_updated` integer DEFAULT 0 NOT NULL,
	`display_center_x` real DEFAULT 960 NOT NULL,
	`display_center_y` real DEFAULT 540 NOT NULL,
	`display_size_x` real DEFAULT 1920 NOT NULL,
	`display_size_y` real DEFAULT 1080 NOT NULL,
	`display_rotation` text DEFAULT '0' NOT NULL,
	`display_fit_to_new_map` integer DEFAULT true NOT NULL,
	`display_diagonal` real DEFAULT 0 NOT NULL,
	`display_diagonal_unit` text DEFAULT 'in' NOT NULL,
	`display_cover_color` text DEFAULT '#000000' NOT NULL,
	`display_cover_text` text DEFAULT 'Paused' NOT NULL,
	`display_cover_image` text DEFAULT '' NOT NULL,
	`map_url` text DEFAULT '' NOT NULL,
	`map_offset_x` real DEFAULT 0 NOT NULL,
	`map_offset_y` real DEFAULT 0 NOT NULL,
	`map_zoom` real DEFAULT 1 NOT NULL,
	`map_rotation` real DEFAULT 0 NOT NULL,
	`map_opacity` real DEFAULT 1 NOT NULL,
	`grid_visible` integer DEFAULT true NOT NULL,
	`grid_type` text DEFAULT 'square' NOT NULL,
	`grid_size` real DEFAULT 64 NOT NULL,
	`grid_offset_x` real DEFAULT 0 NOT NULL,
	`grid_offset_y` real DEFAULT 0 NOT NULL,
	`grid_hex_orientation` text DEFAULT 'pointy' NOT NULL,
	`grid_opacity` real DEFAULT 0.6 NOT NULL,
	`grid_color` text DEFAULT '#000000' NOT NULL,
	`grid_line_width` real DEFAULT 1 NOT NULL,
	`grid_unit_distance` real DEFAULT 5 NOT NULL,
	`grid_unit` text DEFAULT 'ft' NOT NULL,
	`grid_diagonal` text DEFAULT '5e' NOT NULL,
	`fog_of_war_enabled` integer DEFAULT false NOT NULL,
	`fog_of_war_gm_opacity` real DEFAULT 0.4 NOT NULL,
	`fog_of_war_player_opacity` real DEFAULT 1 NOT NULL,
	`fog_of_war_color` text DEFAULT '#111111' NOT NULL,
	`notes_text` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`game_session_id`) REFERENCES `game_session`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "scene_display_center_x_check" CHECK("__new_scene"."display_center_x" BETWEEN -100000 AND 100000),
	CONSTRAINT "scene_display_center_y_check" CHECK("__new_scene"."display_center_y" BETWEEN -100000 AND 100000),
	CONSTRAINT "scene_display_size_x_check" CHECK("__new_scene"."display_size_x" BETWEEN 1 AND 16384),
	CONSTRAINT "scene_display_size_y_check" CHECK("__new_scene"."display_size_y" BETWEEN 1 AND 16384),
	CONSTRAINT "scene_display_rotation_check" CHECK("__new_scene"."display_rotation" IN ('0', '90', '180', '270')),
	CONSTRAINT "scene_display_fit_to_new_map_check" CHECK("__new_scene"."display_fit_to_new_map" IN (0, 1)),
	CONSTRAINT "scene_display_diagonal_check" CHECK("__new_scene"."display_diagonal" BETWEEN 0 AND 2000),
	CONSTRAINT "scene_display_diagonal_unit_check" CHECK("__new_scene"."display_diagonal_unit" IN ('in', 'cm')),
	CONSTRAINT "scene_display_cover_color_check" CHECK("__new_scene"."display_cover_color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_display_cover_text_check" CHECK(length("__new_scene"."display_cover_text") <= 200),
	CONSTRAINT "scene_display_cover_image_check" CHECK(length("__new_scene"."display_cover_image") <= 2048),
	CONSTRAINT "scene_map_url_check" CHECK(length("__new_scene"."map_url") <= 2048),
	CONSTRAINT "scene_map_offset_x_check" CHECK("__new_scene"."map_offset_x" BETWEEN -100000 AND 100000),
	CONSTRAINT "scene_map_offset_y_check" CHECK("__new_scene"."map_offset_y" BETWEEN -100000 AND 100000),
	CONSTRAINT "scene_map_zoom_check" CHECK("__new_scene"."map_zoom" BETWEEN 0.05 AND 20),
	CONSTRAINT "scene_map_rotation_check" CHECK("__new_scene"."map_rotation" BETWEEN -180 AND 180),
	CONSTRAINT "scene_map_opacity_check" CHECK("__new_scene"."map_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_grid_visible_check" CHECK("__new_scene"."grid_visible" IN (0, 1)),
	CONSTRAINT "scene_grid_type_check" CHECK("__new_scene"."grid_type" IN ('square', 'hex')),
	CONSTRAINT "scene_grid_size_check" CHECK("__new_scene"."grid_size" BETWEEN 8 AND 512),
	CONSTRAINT "scene_grid_offset_x_check" CHECK("__new_scene"."grid_offset_x" BETWEEN -512 AND 512),
	CONSTRAINT "scene_grid_offset_y_check" CHECK("__new_scene"."grid_offset_y" BETWEEN -512 AND 512),
	CONSTRAINT "scene_grid_hex_orientation_check" CHECK("__new_scene"."grid_hex_orientation" IN ('pointy', 'flat')),
	CONSTRAINT "scene_grid_opacity_check" CHECK("__new_scene"."grid_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_grid_color_check" CHECK("__new_scene"."grid_color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_grid_line_width_check" CHECK("__new_scene"."grid_line_width" BETWEEN 0.5 AND 16),
	CONSTRAINT "scene_grid_unit_distance_check" CHECK("__new_scene"."grid_unit_distance" BETWEEN 0.01 AND 10000),
	CONSTRAINT "scene_grid_unit_check" CHECK(length("__new_scene"."grid_unit") <= 12),
	CONSTRAINT "scene_grid_diagonal_check" CHECK("__new_scene"."grid_diagonal" IN ('5e', '5-10-5', 'euclidean')),
	CONSTRAINT "scene_fog_of_war_enabled_check" CHECK("__new_scene"."fog_of_war_enabled" IN (0, 1)),
	CONSTRAINT "scene_fog_of_war_gm_opacity_check" CHECK("__new_scene"."fog_of_war_gm_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_fog_of_war_player_opacity_check" CHECK("__new_scene"."fog_of_war_player_opacity" BETWEEN 0 AND 1),
	CONSTRAINT "scene_fog_of_war_color_check" CHECK("__new_scene"."fog_of_war_color" GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
	CONSTRAINT "scene_notes_text_check" CHECK(length("__new_scene"."notes_text") <= 10000)
);

--> statement-breakpoint
INSERT INTO `__new_scene`("id", "game_session_id", "name", "sort_order", "last_updated", "display_center_x", "display_center_y", "display_size_x", "display_size_y", "display_rotation", "display_fit_to_new_map", "display_diagonal", "display_diagonal_unit", "display_cover_color", "display_cover_text", "display_cover_image", "map_url", "map_offset_x", "map_offset_y", "map_zoom", "map_rotation", "map_opacity", "grid_visible", "grid_type", "grid_size", "grid_offset_x", "grid_offset_y", "grid_hex_orientation", "grid_opacity", "grid_color", "grid_line_width", "fog_of_war_enabled", "fog_of_war_gm_opacity", "fog_of_war_player_opacity", "fog_of_war_color", "notes_text") SELECT "id", "game_session_id", "name", "sort_order", "last_updated", "display_center_x", "display_center_y", "display_size_x", "display_size_y", "display_rotation", "display_fit_to_new_map", "display_diagonal", "display_diagonal_unit", "display_cover_color", "display_cover_text", "display_cover_image", "map_url", "map_offset_x", "map_offset_y", "map_zoom", "map_rotation", "map_opacity", "grid_visible", "grid_type", "grid_size", "grid_offset_x", "grid_offset_y", "grid_hex_orientation", "grid_opacity", "grid_color", "grid_line_width", "fog_of_war_enabled", "fog_of_war_gm_opacity", "fog_of_war_player_opacity", "fog_of_war_color", "notes_text" FROM `scene`;
--> statement-breakpoint
DROP TABLE `scene`;
--> statement-breakpoint
ALTER TABLE `__new_scene` RENAME TO `scene`;
--> statement-breakpoint
PRAGMA foreign_keys=ON;
--> statement-breakpoint
CREATE INDEX `scene_game_session_idx` ON `scene` (`game_session_id`);