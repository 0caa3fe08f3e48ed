"""The accounting store's upkeep (app.accounting.models): PL/pgSQL functions, and statement-level
triggers that run them in the transaction of every write to the registry, whatever path made it
(a service, an upload commit, a batch approval, a revert, the demo loader, an admin-unit reload,
raw SQL). ``install`` (re)creates them; migrations call it.

What counts is the approved registry, as in the ``scope_approved`` views: a hazard or release
counts while ``status = 'approved'`` and ``deleted_at IS NULL``; admin units while not deleted.

- A release written (a counted row inserted, changed, approved, rejected, deleted...): the CHA
  parts its old and new geometry meet get their series recomputed from the earliest completion
  date concerned (the rows before it cannot change); a cleared one also re-forms the cleared
  parts it meets (all years, its year, its year and organisation).
- A hazard written: the parts of its kind that its old and new geometry meet are re-formed from
  their hazards, with their whole series.
- An admin unit written: everything is rebuilt (a boundary reload is rare and moves every cut).
- A spot task or village written: the units it lies in are looked up again.
Then the per-unit sums (UnitSeries, UnitArea) are recomputed for the keys the changes marked.

Every computation repeats the reference SQL's (app.accounting.sql, app.accounting.selectors)
operations in the same order on the same operands, so the store's figures equal the
reference's to float noise. Writers are serialised on one advisory lock while they update the
store: each recompute then reads the registry as committed by the writers before it.
"""

from app.accounting import sql

COUNTED = "{t}.status = 'approved' AND {t}.deleted_at IS NULL"
# The survey work's methods, for the family surveyed_in_year.
SURVEYED = sql.methods_list(sql.SURVEY_METHODS)
HECTARES_OF_POLYGONS = sql.hectares(sql.polygons_of("{g}"))

# Fallback precision of a union, in degrees (~0.1 mm): only when GEOS fails or returns an invalid
# union (seen on dense overlaps, issue 9: "nested shells") is the union redone in fixed precision.
UNION_GRID_DEGREES = 1e-9

# The store's own bookkeeping: keys whose per-unit sums a write made stale, cleared by
# accounting_flush() before the trigger returns (so always empty between statements).
TABLES = [
    """
CREATE TABLE IF NOT EXISTS accounting_staleseries (
    unit_id bigint NOT NULL, family text NOT NULL, day date NOT NULL
)""",
    """
CREATE TABLE IF NOT EXISTS accounting_staletasks (
    unit_id bigint NOT NULL, year int NOT NULL, organisation_id bigint NOT NULL
)""",
    """
CREATE TABLE IF NOT EXISTS accounting_stalearea (
    unit_id bigint NOT NULL, family text NOT NULL, year int NOT NULL,
    organisation_id bigint NOT NULL
)""",
]

FUNCTIONS = [
    # A union that a dense overlap cannot break: GEOS's own, redone on a fixed-precision grid
    # when it raises or returns an invalid geometry. The reference's local unions use it too.
    f"""
CREATE OR REPLACE FUNCTION accounting_union(parts geometry) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $function$
DECLARE
    merged geometry;
BEGIN
    IF parts IS NULL THEN
        RETURN NULL;
    END IF;
    BEGIN
        merged := ST_UnaryUnion(parts);
    EXCEPTION WHEN OTHERS THEN
        merged := NULL;
    END;
    IF merged IS NULL OR NOT ST_IsValid(merged) THEN
        merged := ST_UnaryUnion(parts, {UNION_GRID_DEGREES});
    END IF;
    RETURN merged;
END
$function$
""",
    # The counted rows of a family (CHA, SHA: hazards of that kind; cleared...: cleared
    # releases, of one year, of one year and organisation; surveyed_in_year: cancelled or
    # reduced releases of one year), among ``candidates`` (all: NULL).
    f"""
CREATE OR REPLACE FUNCTION accounting_family_rows(
    chosen_family text, chosen_year int, chosen_organisation bigint, candidates bigint[]
) RETURNS TABLE (id bigint, geom geometry)
LANGUAGE sql STABLE SET search_path = public, pg_temp SET jit = off AS $function$
    SELECT hazard.id, hazard.geometry
    FROM registry_hazardarea AS hazard
    WHERE chosen_family IN ('CHA', 'SHA') AND hazard.kind = chosen_family
      AND {COUNTED.format(t="hazard")}
      AND (candidates IS NULL OR hazard.id = ANY (candidates))
    UNION ALL
    SELECT release.id, release.geometry
    FROM registry_releasearea AS release
    WHERE chosen_family IN ('cleared', 'cleared_in_year', 'cleared_in_year_by')
      AND release.method = 'cleared'
      AND {COUNTED.format(t="release")}
      AND (chosen_family = 'cleared'
           OR extract(year FROM release.completed_on)::int = chosen_year)
      AND (chosen_family <> 'cleared_in_year_by'
           OR release.organisation_id = chosen_organisation)
      AND (candidates IS NULL OR release.id = ANY (candidates))
    UNION ALL
    SELECT release.id, release.geometry
    FROM registry_releasearea AS release
    WHERE chosen_family = 'surveyed_in_year'
      AND release.method IN ({SURVEYED})
      AND {COUNTED.format(t="release")}
      AND extract(year FROM release.completed_on)::int = chosen_year
      AND (candidates IS NULL OR release.id = ANY (candidates))
$function$
""",
    # Forget parts: their pieces and series, marking the per-unit sums they fed as stale.
    """
CREATE OR REPLACE FUNCTION accounting_drop_parts(dropped bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
BEGIN
    IF dropped IS NULL OR cardinality(dropped) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO accounting_staleseries (unit_id, family, day)
    SELECT DISTINCT series.unit_id, series.family, series.day
    FROM accounting_partseries AS series
    JOIN accounting_partpiece AS piece ON piece.id = series.part_piece_id
    WHERE piece.part_id = ANY (dropped);
    DELETE FROM accounting_partseries AS series
    USING accounting_partpiece AS piece
    WHERE piece.id = series.part_piece_id AND piece.part_id = ANY (dropped);
    INSERT INTO accounting_stalearea (unit_id, family, year, organisation_id)
    SELECT DISTINCT unit_id, family, year, organisation_id
    FROM accounting_partpiece WHERE part_id = ANY (dropped);
    DELETE FROM accounting_partpiece WHERE part_id = ANY (dropped);
    DELETE FROM accounting_part WHERE id = ANY (dropped);
END
$function$
""",
    # Form the parts of one family key from its counted rows among ``candidates`` (all: NULL):
    # clusters of rows that touch or overlap, unioned, paired with the unit pieces their rows
    # meet (CHA, SHA and a year's clearance: every unit; cleared land anywhere and a year's
    # clearance by organisation: provinces only, as the reports read them), each pair with
    # its hectares, whole when the part lies in the piece. Returns the new parts' ids.
    f"""
CREATE OR REPLACE FUNCTION accounting_form_parts(
    chosen_family text, chosen_year int, chosen_organisation bigint, candidates bigint[]
) RETURNS bigint[]
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    formed bigint[];
BEGIN
    WITH family_rows AS (
        SELECT id, geom FROM accounting_family_rows(
            chosen_family, chosen_year, chosen_organisation, candidates)
    ),
    clusters AS (
        SELECT id, geom, ST_ClusterDBSCAN(geom, 0, 1) OVER () AS cluster FROM family_rows
    ),
    inserted AS (
        INSERT INTO accounting_part
            (family, year, organisation_id, members, geometry, any_reduced, any_cancelled)
        SELECT chosen_family, chosen_year, chosen_organisation, array_agg(id ORDER BY id),
               accounting_union(ST_Collect({sql.valid("geom")})), false, false
        FROM clusters
        GROUP BY cluster
        RETURNING id, members, geometry
    ),
    pairs AS (
        SELECT DISTINCT inserted.id AS part_id, piece.id AS unit_piece_id
        FROM inserted
        CROSS JOIN LATERAL unnest(inserted.members) AS member (id)
        JOIN family_rows ON family_rows.id = member.id
        JOIN accounting_unitpiece AS piece ON ST_Intersects(family_rows.geom, piece.geometry)
        WHERE chosen_family IN ('CHA', 'SHA', 'cleared_in_year') OR piece.level = 'province'
    ),
    pieces AS (
        INSERT INTO accounting_partpiece
            (part_id, unit_piece_id, unit_id, family, year, organisation_id, covered, area_ha)
        SELECT pairs.part_id, piece.id, piece.unit_id,
               chosen_family, chosen_year, chosen_organisation, covered,
               CASE WHEN covered THEN {sql.hectares("inserted.geometry")}
                    ELSE {
        HECTARES_OF_POLYGONS.format(g="ST_Intersection(inserted.geometry, piece.geometry)")
    } END
        FROM pairs
        JOIN inserted ON inserted.id = pairs.part_id
        JOIN accounting_unitpiece AS piece ON piece.id = pairs.unit_piece_id
        CROSS JOIN LATERAL (
            SELECT ST_CoveredBy(inserted.geometry, piece.geometry) AS covered
        ) AS coverage
        RETURNING unit_id, family, year, organisation_id
    ),
    marked AS (
        INSERT INTO accounting_stalearea (unit_id, family, year, organisation_id)
        SELECT DISTINCT unit_id, family, year, organisation_id FROM pieces
    )
    SELECT array_agg(id) INTO formed FROM inserted;
    RETURN coalesce(formed, '{{}}');
END
$function$
""",
    # The releases whose running unions make a part's series: of a CHA part every counted
    # release meeting it (any method), of a cleared part its own members. PL/pgSQL, so that
    # each branch keeps a plan that uses the index on the releases' geometry.
    f"""
CREATE OR REPLACE FUNCTION accounting_part_releases(
    chosen_family text, part_shape geometry, part_members bigint[], before_day date
) RETURNS TABLE (completed_on date, method text, geom geometry)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp SET jit = off AS $function$
BEGIN
    IF chosen_family = 'CHA' THEN
        RETURN QUERY
        SELECT release.completed_on, release.method::text, {sql.valid("release.geometry")}
        FROM registry_releasearea AS release
        WHERE ST_Intersects(release.geometry, part_shape)
          AND {COUNTED.format(t="release")}
          AND release.completed_on >= before_day;
    ELSE
        RETURN QUERY
        SELECT release.completed_on, release.method::text, {sql.valid("release.geometry")}
        FROM registry_releasearea AS release
        WHERE release.id = ANY (part_members)
          AND release.completed_on >= before_day;
    END IF;
END
$function$
""",
    """
CREATE OR REPLACE FUNCTION accounting_merge(so_far geometry, added geometry) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $function$
    SELECT CASE WHEN added IS NULL THEN so_far
                WHEN so_far IS NULL THEN accounting_union(added)
                ELSE accounting_union(ST_Collect(so_far, added)) END
$function$
""",
    # A part's series from ``from_day`` on ('-infinity': all of it): one row per piece and
    # distinct completion date of its releases, with the land released by then. Running unions
    # start from the part's stored unions when from_day is after its last day, else from the
    # releases completed before from_day. As the reference: a CHA part's layers are the part
    # intersected with the unions (cleared; cleared or reduced, only once a reduced release
    # has met it; any method, only once a cancelled one has); a cleared part's layer is its
    # own union. A covered piece counts the layer whole, another its intersection with the
    # piece.
    f"""
CREATE OR REPLACE FUNCTION accounting_part_series(chosen bigint, from_day date)
RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    part accounting_part%ROWTYPE;
    union_cleared geometry;
    union_cleared_or_reduced geometry;
    union_released geometry;
    met_reduced boolean;
    met_cancelled boolean;
    day record;
    i int;
    piece_ids bigint[];
    piece_units bigint[];
    piece_covered boolean[];
    piece_shapes geometry[];
    so_far_cleared double precision[];
    so_far_cleared_or_reduced double precision[];
    so_far_released double precision[];
    written_pieces bigint[] := '{{}}';
    written_units bigint[] := '{{}}';
    written_days date[] := '{{}}';
    written_cleared double precision[] := '{{}}';
    written_cleared_or_reduced double precision[] := '{{}}';
    written_released double precision[] := '{{}}';
    grown_cleared double precision[] := '{{}}';
    grown_cleared_or_reduced double precision[] := '{{}}';
    grown_released double precision[] := '{{}}';
    layer_cleared geometry;
    layer_cleared_or_reduced geometry;
    layer_released geometry;
    whole_cleared double precision;
    whole_cleared_or_reduced double precision;
    whole_released double precision;
    ha_cleared double precision;
    ha_cleared_or_reduced double precision;
    ha_released double precision;
    series_last_day date;
BEGIN
    SELECT * INTO part FROM accounting_part WHERE id = chosen;
    IF part.id IS NULL OR part.family NOT IN ('CHA', 'cleared') THEN
        RETURN;
    END IF;

    INSERT INTO accounting_staleseries (unit_id, family, day)
    SELECT DISTINCT series.unit_id, series.family, series.day
    FROM accounting_partseries AS series
    JOIN accounting_partpiece AS pieces ON pieces.id = series.part_piece_id
    WHERE pieces.part_id = chosen AND series.day >= from_day;
    DELETE FROM accounting_partseries AS series
    USING accounting_partpiece AS pieces
    WHERE pieces.id = series.part_piece_id AND pieces.part_id = chosen
      AND series.day >= from_day;

    IF from_day = '-infinity' THEN
        met_reduced := false;
        met_cancelled := false;
    ELSIF part.last_day IS NOT NULL AND from_day > part.last_day THEN
        union_cleared := part.cleared;
        union_cleared_or_reduced := part.cleared_or_reduced;
        union_released := part.released;
        met_reduced := part.any_reduced;
        met_cancelled := part.any_cancelled;
    ELSE
        SELECT accounting_union(ST_Collect(geom) FILTER (WHERE method = 'cleared')),
               accounting_union(ST_Collect(geom) FILTER (WHERE method <> 'cancelled')),
               accounting_union(ST_Collect(geom)),
               coalesce(bool_or(method = 'reduced'), false),
               coalesce(bool_or(method = 'cancelled'), false)
        INTO union_cleared, union_cleared_or_reduced, union_released, met_reduced, met_cancelled
        FROM accounting_part_releases(part.family, part.geometry, part.members, '-infinity')
        WHERE completed_on < from_day;
        -- The part's unions are lazy: no reduced release yet, no cleared-or-reduced union of its
        -- own (it is the cleared one, which the days below grow); likewise released without a
        -- cancelled one. A union kept here would stand stale beside the grown cleared one.
        IF NOT met_reduced THEN
            union_cleared_or_reduced := NULL;
        END IF;
        IF NOT met_cancelled THEN
            union_released := NULL;
        END IF;
    END IF;

    -- Each piece's figures so far: the growth of its first new row is measured from them.
    SELECT array_agg(pieces.id ORDER BY pieces.id),
           array_agg(pieces.unit_id ORDER BY pieces.id),
           array_agg(pieces.covered ORDER BY pieces.id),
           array_agg(unit_piece.geometry ORDER BY pieces.id),
           array_agg(coalesce(latest.cleared_ha, 0) ORDER BY pieces.id),
           array_agg(coalesce(latest.cleared_or_reduced_ha, 0) ORDER BY pieces.id),
           array_agg(coalesce(latest.released_ha, 0) ORDER BY pieces.id)
    INTO piece_ids, piece_units, piece_covered, piece_shapes,
         so_far_cleared, so_far_cleared_or_reduced, so_far_released
    FROM accounting_partpiece AS pieces
    JOIN accounting_unitpiece AS unit_piece ON unit_piece.id = pieces.unit_piece_id
    LEFT JOIN LATERAL (
        SELECT series.cleared_ha, series.cleared_or_reduced_ha, series.released_ha
        FROM accounting_partseries AS series
        WHERE from_day > '-infinity' AND series.part_piece_id = pieces.id
        ORDER BY series.day DESC
        LIMIT 1
    ) AS latest ON true
    WHERE pieces.part_id = chosen;
    IF piece_ids IS NULL THEN
        RETURN;
    END IF;

    series_last_day := part.last_day;
    IF from_day = '-infinity' THEN
        series_last_day := NULL;
    ELSIF NOT (part.last_day IS NOT NULL AND from_day > part.last_day) THEN
        SELECT max(completed_on) INTO series_last_day
        FROM accounting_part_releases(part.family, part.geometry, part.members, '-infinity')
        WHERE completed_on < from_day;
    END IF;

    FOR day IN
        SELECT completed_on,
               ST_Collect(geom) FILTER (WHERE method = 'cleared') AS cleared,
               ST_Collect(geom) FILTER (WHERE method <> 'cancelled') AS cleared_or_reduced,
               ST_Collect(geom) AS released,
               bool_or(method = 'reduced') AS has_reduced,
               bool_or(method = 'cancelled') AS has_cancelled
        FROM accounting_part_releases(part.family, part.geometry, part.members, from_day)
        GROUP BY completed_on
        ORDER BY completed_on
    LOOP
        union_cleared := accounting_merge(union_cleared, day.cleared);
        IF met_reduced OR day.has_reduced THEN
            union_cleared_or_reduced := accounting_merge(
                CASE WHEN met_reduced THEN union_cleared_or_reduced ELSE union_cleared END,
                day.cleared_or_reduced);
        END IF;
        IF met_cancelled OR day.has_cancelled THEN
            union_released := accounting_merge(
                CASE WHEN met_cancelled THEN union_released
                     WHEN met_reduced OR day.has_reduced THEN union_cleared_or_reduced
                     ELSE union_cleared END,
                day.released);
        END IF;
        met_reduced := met_reduced OR day.has_reduced;
        met_cancelled := met_cancelled OR day.has_cancelled;
        series_last_day := day.completed_on;

        IF part.family = 'CHA' THEN
            layer_cleared := ST_Intersection(part.geometry, coalesce(union_cleared, {sql.EMPTY}));
            layer_cleared_or_reduced := CASE WHEN met_reduced
                THEN ST_Intersection(part.geometry, union_cleared_or_reduced) END;
            layer_released := CASE WHEN met_cancelled
                THEN ST_Intersection(part.geometry, union_released) END;
        ELSE
            layer_cleared := union_cleared;
            layer_cleared_or_reduced := NULL;
            layer_released := NULL;
        END IF;
        layer_cleared_or_reduced := coalesce(layer_cleared_or_reduced, layer_cleared);
        layer_released := coalesce(layer_released, layer_cleared_or_reduced);
        -- A covered piece counts the layer whole: measured once for all of them.
        whole_cleared := {HECTARES_OF_POLYGONS.format(g="layer_cleared")};
        whole_cleared_or_reduced := CASE WHEN met_reduced
            THEN {HECTARES_OF_POLYGONS.format(g="layer_cleared_or_reduced")}
            ELSE whole_cleared END;
        whole_released := CASE WHEN met_cancelled
            THEN {HECTARES_OF_POLYGONS.format(g="layer_released")}
            ELSE whole_cleared_or_reduced END;

        FOR i IN 1 .. cardinality(piece_ids) LOOP
            IF piece_covered[i] THEN
                ha_cleared := whole_cleared;
                ha_cleared_or_reduced := whole_cleared_or_reduced;
                ha_released := whole_released;
            ELSE
                ha_cleared := {
        HECTARES_OF_POLYGONS.format(g="ST_Intersection(layer_cleared, piece_shapes[i])")
    };
                ha_cleared_or_reduced := {
        HECTARES_OF_POLYGONS.format(g="ST_Intersection(layer_cleared_or_reduced, piece_shapes[i])")
    };
                ha_released := {
        HECTARES_OF_POLYGONS.format(g="ST_Intersection(layer_released, piece_shapes[i])")
    };
            END IF;
            ha_cleared := coalesce(ha_cleared, 0);
            ha_cleared_or_reduced := coalesce(ha_cleared_or_reduced, 0);
            ha_released := coalesce(ha_released, 0);
            written_pieces := written_pieces || piece_ids[i];
            written_units := written_units || piece_units[i];
            written_days := written_days || day.completed_on;
            written_cleared := written_cleared || ha_cleared;
            written_cleared_or_reduced := written_cleared_or_reduced || ha_cleared_or_reduced;
            written_released := written_released || ha_released;
            grown_cleared := grown_cleared || (ha_cleared - so_far_cleared[i]);
            grown_cleared_or_reduced := grown_cleared_or_reduced
                || (ha_cleared_or_reduced - so_far_cleared_or_reduced[i]);
            grown_released := grown_released || (ha_released - so_far_released[i]);
            so_far_cleared[i] := ha_cleared;
            so_far_cleared_or_reduced[i] := ha_cleared_or_reduced;
            so_far_released[i] := ha_released;
        END LOOP;
    END LOOP;

    INSERT INTO accounting_partseries
        (part_piece_id, unit_id, family, day, cleared_ha, cleared_or_reduced_ha, released_ha,
         cleared_growth_ha, cleared_or_reduced_growth_ha, released_growth_ha)
    SELECT written.piece, written.unit, part.family, written.day, written.cleared,
           written.cleared_or_reduced, written.released, written.grown_cleared,
           written.grown_cleared_or_reduced, written.grown_released
    FROM unnest(written_pieces, written_units, written_days, written_cleared,
                written_cleared_or_reduced, written_released, grown_cleared,
                grown_cleared_or_reduced, grown_released)
         AS written (piece, unit, day, cleared, cleared_or_reduced, released, grown_cleared,
                     grown_cleared_or_reduced, grown_released);
    INSERT INTO accounting_staleseries (unit_id, family, day)
    SELECT DISTINCT written.unit, part.family, written.day
    FROM unnest(written_units, written_days) AS written (unit, day);

    UPDATE accounting_part
    SET last_day = series_last_day,
        cleared = union_cleared,
        cleared_or_reduced = union_cleared_or_reduced,
        released = union_released,
        any_reduced = coalesce(met_reduced, false),
        any_cancelled = coalesce(met_cancelled, false)
    WHERE id = chosen;
END
$function$
""",
    # Re-form the parts of one family key that the ``touched`` geometries meet, from their
    # members and the ``changed`` rows (those still counted), with the new parts' series.
    """
CREATE OR REPLACE FUNCTION accounting_reform(
    chosen_family text, chosen_year int, chosen_organisation bigint,
    touched geometry[], changed bigint[]
) RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    dropped bigint[];
    candidates bigint[];
    formed bigint[];
BEGIN
    -- From the shapes to the parts, so that the parts' spatial index finds them.
    SELECT array_agg(DISTINCT part.id), array_agg(DISTINCT member.id)
    INTO dropped, candidates
    FROM (
        SELECT DISTINCT part.id
        FROM unnest(touched) AS shape (geom)
        JOIN accounting_part AS part ON ST_Intersects(part.geometry, shape.geom)
        WHERE part.family = chosen_family AND part.year = chosen_year
          AND part.organisation_id = chosen_organisation
    ) AS hit
    JOIN accounting_part AS part ON part.id = hit.id
    CROSS JOIN LATERAL unnest(part.members) AS member (id);
    PERFORM accounting_drop_parts(dropped);
    candidates := coalesce(candidates, '{}') || coalesce(changed, '{}');
    formed := accounting_form_parts(chosen_family, chosen_year, chosen_organisation, candidates);
    PERFORM accounting_part_series(id, '-infinity') FROM unnest(formed) AS formed_part (id);
END
$function$
""",
    # The per-unit sums of the keys marked stale, summed again from the pieces.
    """
CREATE OR REPLACE FUNCTION accounting_flush() RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    stale_units bigint[];
    stale_families text[];
    stale_days date[];
    stale_years int[];
    stale_organisations bigint[];
BEGIN
    -- Two statements each (delete, then insert): one statement's parts cannot see each other's
    -- changes, so an INSERT beside the DELETE of the same keys would collide with them.
    WITH stale AS (DELETE FROM accounting_staleseries RETURNING unit_id, family, day)
    SELECT array_agg(unit_id), array_agg(family), array_agg(day)
    INTO stale_units, stale_families, stale_days
    FROM (SELECT DISTINCT unit_id, family, day FROM stale) AS keys;
    IF stale_units IS NOT NULL THEN
        DELETE FROM accounting_unitseries AS sums
        USING unnest(stale_units, stale_families, stale_days) AS keys (unit_id, family, day)
        WHERE sums.unit_id = keys.unit_id AND sums.family = keys.family
          AND sums.day = keys.day;
        INSERT INTO accounting_unitseries
            (unit_id, family, day, cleared_ha, cleared_or_reduced_ha, released_ha)
        SELECT keys.unit_id, keys.family, keys.day, sum(series.cleared_growth_ha),
               sum(series.cleared_or_reduced_growth_ha), sum(series.released_growth_ha)
        FROM unnest(stale_units, stale_families, stale_days) AS keys (unit_id, family, day)
        JOIN accounting_partseries AS series
          ON series.unit_id = keys.unit_id AND series.family = keys.family
         AND series.day = keys.day
        GROUP BY keys.unit_id, keys.family, keys.day;
    END IF;

    WITH stale AS (
        DELETE FROM accounting_stalearea RETURNING unit_id, family, year, organisation_id
    )
    SELECT array_agg(unit_id), array_agg(family), array_agg(year), array_agg(organisation_id)
    INTO stale_units, stale_families, stale_years, stale_organisations
    FROM (SELECT DISTINCT unit_id, family, year, organisation_id FROM stale) AS keys;
    IF stale_units IS NOT NULL THEN
        DELETE FROM accounting_unitarea AS sums
        USING unnest(stale_units, stale_families, stale_years, stale_organisations)
              AS keys (unit_id, family, year, organisation_id)
        WHERE sums.unit_id = keys.unit_id AND sums.family = keys.family
          AND sums.year = keys.year AND sums.organisation_id = keys.organisation_id;
        INSERT INTO accounting_unitarea (unit_id, family, year, organisation_id, area_ha)
        SELECT keys.unit_id, keys.family, keys.year, keys.organisation_id, sum(pieces.area_ha)
        FROM unnest(stale_units, stale_families, stale_years, stale_organisations)
             AS keys (unit_id, family, year, organisation_id)
        JOIN accounting_partpiece AS pieces
          ON pieces.unit_id = keys.unit_id AND pieces.family = keys.family
         AND pieces.year = keys.year AND pieces.organisation_id = keys.organisation_id
        GROUP BY keys.unit_id, keys.family, keys.year, keys.organisation_id;
    END IF;
END
$function$
""",
    # The spot-task counts of the (unit, year, organisation) keys marked stale, counted again
    # from the approved tasks located in the unit.
    """
CREATE OR REPLACE FUNCTION accounting_flush_tasks() RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    stale_units bigint[];
    stale_years int[];
    stale_organisations bigint[];
BEGIN
    WITH stale AS (DELETE FROM accounting_staletasks RETURNING unit_id, year, organisation_id)
    SELECT array_agg(unit_id), array_agg(year), array_agg(organisation_id)
    INTO stale_units, stale_years, stale_organisations
    FROM (SELECT DISTINCT unit_id, year, organisation_id FROM stale) AS keys;
    IF stale_units IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM accounting_unittasks AS sums
    USING unnest(stale_units, stale_years, stale_organisations)
          AS keys (unit_id, year, organisation_id)
    WHERE sums.unit_id = keys.unit_id AND sums.year = keys.year
      AND sums.organisation_id = keys.organisation_id;
    INSERT INTO accounting_unittasks
        (unit_id, year, organisation_id, spot_tasks, items_destroyed)
    SELECT keys.unit_id, keys.year, keys.organisation_id, count(*), sum(task.items_destroyed)
    FROM unnest(stale_units, stale_years, stale_organisations)
         AS keys (unit_id, year, organisation_id)
    JOIN registry_spottask AS task
      ON task.organisation_id = keys.organisation_id
     AND task.completed_on BETWEEN make_date(keys.year, 1, 1) AND make_date(keys.year, 12, 31)
    JOIN accounting_pointunit AS located
      ON located.table_name = 'registry_spottask' AND located.record_id = task.id
     AND located.unit_id = keys.unit_id
    WHERE task.status = 'approved' AND task.deleted_at IS NULL
    GROUP BY keys.unit_id, keys.year, keys.organisation_id;
END
$function$
""",
    # Mark the counts of where the spot tasks of ``ids`` lie now as stale, with their year and
    # organisation as the table holds them now (none for NULL or an empty array).
    """
CREATE OR REPLACE FUNCTION accounting_mark_tasks(ids bigint[]) RETURNS void
LANGUAGE sql SET search_path = public, pg_temp SET jit = off AS $function$
    INSERT INTO accounting_staletasks (unit_id, year, organisation_id)
    SELECT DISTINCT located.unit_id, extract(year FROM task.completed_on)::int,
           task.organisation_id
    FROM registry_spottask AS task
    JOIN accounting_pointunit AS located
      ON located.table_name = 'registry_spottask' AND located.record_id = task.id
    WHERE task.id = ANY (ids)
$function$
""",
    # The units each spot task or village of ``ids`` (all: NULL) lies in, per level and set.
    """
CREATE OR REPLACE FUNCTION accounting_locate_points(chosen_table text, ids bigint[])
RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
BEGIN
    -- (A rebuild, ids NULL, counts every task at once afterwards.)
    IF chosen_table = 'registry_spottask' AND ids IS NOT NULL THEN
        PERFORM accounting_mark_tasks(ids);
    END IF;
    DELETE FROM accounting_pointunit
    WHERE table_name = chosen_table AND (ids IS NULL OR record_id = ANY (ids));
    INSERT INTO accounting_pointunit (table_name, record_id, boundary_set, level, unit_id)
    SELECT DISTINCT ON (point.id, piece.boundary_set, piece.level)
           chosen_table, point.id, piece.boundary_set, piece.level, piece.unit_id
    FROM (
        SELECT id, location FROM registry_spottask
        WHERE chosen_table = 'registry_spottask' AND (ids IS NULL OR id = ANY (ids))
        UNION ALL
        SELECT id, location FROM registry_village
        WHERE chosen_table = 'registry_village' AND (ids IS NULL OR id = ANY (ids))
    ) AS point
    JOIN accounting_unitpiece AS piece ON ST_Intersects(piece.geometry, point.location)
    JOIN registry_adminunit AS unit ON unit.id = piece.unit_id
    ORDER BY point.id, piece.boundary_set, piece.level, unit.code;
    IF chosen_table = 'registry_spottask' AND ids IS NOT NULL THEN
        PERFORM accounting_mark_tasks(ids);
    END IF;
END
$function$
""",
    """
CREATE OR REPLACE FUNCTION accounting_lock() RETURNS void
LANGUAGE sql AS $function$
    SELECT pg_advisory_xact_lock(hashtext('landrelease.accounting'))
$function$
""",
    # The series of the cleared parts whose releases were all completed on one day, in one
    # statement for a rebuild: their one row per piece is the part's own hectares there (the
    # union of its releases is the part), which accounting_form_parts measured already.
    """
CREATE OR REPLACE FUNCTION accounting_single_day_series() RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
BEGIN
    WITH single_day AS (
        SELECT part.id, min(release.completed_on) AS day
        FROM accounting_part AS part
        JOIN registry_releasearea AS release ON release.id = ANY (part.members)
        WHERE part.family = 'cleared' AND part.last_day IS NULL
        GROUP BY part.id
        HAVING min(release.completed_on) = max(release.completed_on)
    ),
    stated AS (
        UPDATE accounting_part AS part
        SET last_day = single_day.day, cleared = part.geometry
        FROM single_day
        WHERE part.id = single_day.id
        RETURNING part.id, single_day.day
    ),
    written AS (
        INSERT INTO accounting_partseries
            (part_piece_id, unit_id, family, day, cleared_ha, cleared_or_reduced_ha, released_ha,
             cleared_growth_ha, cleared_or_reduced_growth_ha, released_growth_ha)
        SELECT pieces.id, pieces.unit_id, 'cleared', stated.day, pieces.area_ha, pieces.area_ha,
               pieces.area_ha, pieces.area_ha, pieces.area_ha, pieces.area_ha
        FROM stated
        JOIN accounting_partpiece AS pieces ON pieces.part_id = stated.id
        RETURNING unit_id, day
    )
    INSERT INTO accounting_staleseries (unit_id, family, day)
    SELECT DISTINCT unit_id, 'cleared', day FROM written;
END
$function$
""",
    # Everything again, from the registry.
    f"""
CREATE OR REPLACE FUNCTION accounting_rebuild_all() RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    family_key record;
BEGIN
    PERFORM accounting_lock();
    -- DELETE, not TRUNCATE: readers keep reading the old store until this commits (TRUNCATE's
    -- lock would stop them), and it also runs inside a TRUNCATE of the registry that names
    -- the store's tables too (Django's flush).
    DELETE FROM accounting_partseries;
    DELETE FROM accounting_partpiece;
    DELETE FROM accounting_part;
    DELETE FROM accounting_unitseries;
    DELETE FROM accounting_unitarea;
    DELETE FROM accounting_unittasks;
    DELETE FROM accounting_pointunit;
    DELETE FROM accounting_unitpiece;
    DELETE FROM accounting_staleseries;
    DELETE FROM accounting_stalearea;
    DELETE FROM accounting_staletasks;
    INSERT INTO accounting_unitpiece (unit_id, boundary_set, level, geometry)
    SELECT id, boundary_set, level, ST_Subdivide(geometry, {sql.SUBDIVIDE_MAX_VERTICES})
    FROM registry_adminunit WHERE deleted_at IS NULL;
    ANALYZE accounting_unitpiece;

    FOR family_key IN
        SELECT 'CHA' AS family, 0 AS year, 0::bigint AS organisation_id
        UNION ALL SELECT 'SHA', 0, 0
        UNION ALL SELECT 'cleared', 0, 0
        UNION ALL
        SELECT DISTINCT 'cleared_in_year', extract(year FROM completed_on)::int, 0::bigint
        FROM registry_releasearea AS release
        WHERE release.method = 'cleared' AND {COUNTED.format(t="release")}
        UNION ALL
        SELECT DISTINCT 'cleared_in_year_by', extract(year FROM completed_on)::int,
               organisation_id
        FROM registry_releasearea AS release
        WHERE release.method = 'cleared' AND {COUNTED.format(t="release")}
        UNION ALL
        SELECT DISTINCT 'surveyed_in_year', extract(year FROM completed_on)::int, 0::bigint
        FROM registry_releasearea AS release
        WHERE release.method IN ({SURVEYED}) AND {COUNTED.format(t="release")}
    LOOP
        PERFORM accounting_form_parts(
            family_key.family, family_key.year, family_key.organisation_id, NULL);
    END LOOP;
    ANALYZE accounting_part;
    ANALYZE accounting_partpiece;
    PERFORM accounting_single_day_series();
    PERFORM accounting_part_series(part.id, '-infinity')
    FROM accounting_part AS part
    WHERE part.family = 'CHA' OR (part.family = 'cleared' AND part.last_day IS NULL);
    PERFORM accounting_locate_points('registry_spottask', NULL);
    PERFORM accounting_locate_points('registry_village', NULL);
    PERFORM accounting_flush();
    -- Every count at once, rather than key by key.
    DELETE FROM accounting_staletasks;
    INSERT INTO accounting_unittasks
        (unit_id, year, organisation_id, spot_tasks, items_destroyed)
    SELECT located.unit_id, extract(year FROM task.completed_on)::int, task.organisation_id,
           count(*), sum(task.items_destroyed)
    FROM accounting_pointunit AS located
    JOIN registry_spottask AS task ON task.id = located.record_id
    WHERE located.table_name = 'registry_spottask'
      AND task.status = 'approved' AND task.deleted_at IS NULL
    GROUP BY 1, 2, 3;
END
$function$
""",
]

# What a statement changed that counts, as sides (the old row and the new one, each with
# whether it counts): an insert has new sides, a delete old ones, an update both, kept only
# where counting or a counted field changed.
_RELEASE_FIELDS_CHANGED = """
    o.method IS DISTINCT FROM n.method
    OR o.completed_on IS DISTINCT FROM n.completed_on
    OR o.organisation_id IS DISTINCT FROM n.organisation_id
    OR ST_AsEWKB(o.geometry) IS DISTINCT FROM ST_AsEWKB(n.geometry)"""
_HAZARD_FIELDS_CHANGED = """
    o.kind IS DISTINCT FROM n.kind
    OR ST_AsEWKB(o.geometry) IS DISTINCT FROM ST_AsEWKB(n.geometry)"""


def _changed_sides(sides: str, columns: str, fields_changed: str) -> str:
    """SQL selecting the counted sides of a statement's changed rows into the trigger's
    ``sides`` temporary table, from the transition tables ``old_rows`` / ``new_rows``."""
    counted_o, counted_n = COUNTED.format(t="o"), COUNTED.format(t="n")
    old_columns = ", ".join(f"o.{c}" for c in columns.split(", "))
    new_columns = ", ".join(f"n.{c}" for c in columns.split(", "))
    return f"""
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {sides} SELECT {new_columns} FROM new_rows AS n WHERE {counted_n};
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {sides} SELECT {old_columns} FROM old_rows AS o WHERE {counted_o};
    ELSE
        INSERT INTO {sides}
        SELECT {old_columns} FROM old_rows AS o JOIN new_rows AS n USING (id)
        WHERE ({counted_o}) AND (NOT ({counted_n}) OR {fields_changed})
        UNION ALL
        SELECT {new_columns} FROM old_rows AS o JOIN new_rows AS n USING (id)
        WHERE ({counted_n}) AND (NOT ({counted_o}) OR {fields_changed});
    END IF;"""


_SIDES_TABLE = """
    CREATE TEMPORARY TABLE IF NOT EXISTS {sides} ({columns}) ON COMMIT DROP;
    DELETE FROM {sides};"""

TRIGGER_FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION accounting_releases_written() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    family_key record;
BEGIN
    IF current_setting('landrelease.accounting_deferred', true) = 'on' THEN
        RETURN NULL;
    END IF;
    {
        _SIDES_TABLE.format(
            sides="release_sides",
            columns="id bigint, geometry geometry, completed_on date, "
            "method text, organisation_id bigint",
        )
    }
    {
        _changed_sides(
            "release_sides",
            "id, geometry, completed_on, method, organisation_id",
            _RELEASE_FIELDS_CHANGED,
        )
    }
    IF NOT EXISTS (SELECT FROM release_sides) THEN
        RETURN NULL;
    END IF;
    PERFORM accounting_lock();
    PERFORM accounting_part_series(touched.part_id, touched.from_day)
    FROM (
        SELECT part.id AS part_id, min(release_sides.completed_on) AS from_day
        FROM release_sides
        JOIN accounting_part AS part
          ON part.family = 'CHA' AND ST_Intersects(part.geometry, release_sides.geometry)
        GROUP BY part.id
    ) AS touched;
    FOR family_key IN
        SELECT 'cleared' AS family, 0 AS year, 0::bigint AS organisation_id
        FROM release_sides WHERE method = 'cleared' HAVING count(*) > 0
        UNION ALL
        SELECT DISTINCT 'cleared_in_year', extract(year FROM completed_on)::int, 0::bigint
        FROM release_sides WHERE method = 'cleared'
        UNION ALL
        SELECT DISTINCT 'cleared_in_year_by', extract(year FROM completed_on)::int,
               organisation_id
        FROM release_sides WHERE method = 'cleared'
        UNION ALL
        SELECT DISTINCT 'surveyed_in_year', extract(year FROM completed_on)::int, 0::bigint
        FROM release_sides WHERE method IN ({SURVEYED})
    LOOP
        PERFORM accounting_reform(
            family_key.family, family_key.year, family_key.organisation_id,
            array_agg(release_sides.geometry), array_agg(release_sides.id))
        FROM release_sides
        WHERE (CASE WHEN family_key.family = 'surveyed_in_year'
                    THEN release_sides.method IN ({SURVEYED})
                    ELSE release_sides.method = 'cleared' END)
          AND (family_key.family = 'cleared'
               OR extract(year FROM release_sides.completed_on)::int = family_key.year)
          AND (family_key.family <> 'cleared_in_year_by'
               OR release_sides.organisation_id = family_key.organisation_id);
    END LOOP;
    PERFORM accounting_flush();
    RETURN NULL;
END
$function$
""",
    f"""
CREATE OR REPLACE FUNCTION accounting_hazards_written() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    chosen_kind text;
BEGIN
    IF current_setting('landrelease.accounting_deferred', true) = 'on' THEN
        RETURN NULL;
    END IF;
    {_SIDES_TABLE.format(sides="hazard_sides", columns="id bigint, geometry geometry, kind text")}
    {_changed_sides("hazard_sides", "id, geometry, kind", _HAZARD_FIELDS_CHANGED)}
    IF NOT EXISTS (SELECT FROM hazard_sides) THEN
        RETURN NULL;
    END IF;
    PERFORM accounting_lock();
    FOR chosen_kind IN SELECT DISTINCT kind FROM hazard_sides LOOP
        PERFORM accounting_reform(chosen_kind, 0, 0, array_agg(geometry), array_agg(id))
        FROM hazard_sides WHERE kind = chosen_kind;
    END LOOP;
    PERFORM accounting_flush();
    RETURN NULL;
END
$function$
""",
    # A unit's pieces are cut again, and every part its old or new outline meets is re-formed
    # against the new pieces (with its series); the points there are located again.
    f"""
CREATE OR REPLACE FUNCTION accounting_admin_units_written() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    family_key record;
    touched geometry[];
BEGIN
    IF current_setting('landrelease.accounting_deferred', true) = 'on' THEN
        RETURN NULL;
    END IF;
    CREATE TEMPORARY TABLE IF NOT EXISTS unit_sides (id bigint, geometry geometry)
        ON COMMIT DROP;
    DELETE FROM unit_sides;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO unit_sides SELECT id, geometry FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO unit_sides SELECT id, geometry FROM old_rows;
    ELSE
        INSERT INTO unit_sides
        SELECT side.id, side.geometry
        FROM old_rows AS o JOIN new_rows AS n USING (id)
        CROSS JOIN LATERAL (VALUES (o.id, o.geometry), (n.id, n.geometry)) AS side (id, geometry)
        WHERE (o.deleted_at IS NULL) IS DISTINCT FROM (n.deleted_at IS NULL)
           OR o.code IS DISTINCT FROM n.code
           OR o.level IS DISTINCT FROM n.level
           OR o.boundary_set IS DISTINCT FROM n.boundary_set
           OR ST_AsEWKB(o.geometry) IS DISTINCT FROM ST_AsEWKB(n.geometry);
    END IF;
    IF NOT EXISTS (SELECT FROM unit_sides) THEN
        RETURN NULL;
    END IF;
    PERFORM accounting_lock();
    DELETE FROM accounting_unitpiece WHERE unit_id IN (SELECT id FROM unit_sides);
    INSERT INTO accounting_unitpiece (unit_id, boundary_set, level, geometry)
    SELECT id, boundary_set, level, ST_Subdivide(geometry, {sql.SUBDIVIDE_MAX_VERTICES})
    FROM registry_adminunit
    WHERE id IN (SELECT id FROM unit_sides) AND deleted_at IS NULL;
    SELECT array_agg(geometry) INTO touched FROM unit_sides;
    FOR family_key IN
        SELECT DISTINCT family, year, organisation_id FROM accounting_part
    LOOP
        PERFORM accounting_reform(
            family_key.family, family_key.year, family_key.organisation_id, touched, '{{}}');
    END LOOP;
    PERFORM accounting_locate_points(points.table_name, points.ids)
    FROM (
        SELECT 'registry_spottask' AS table_name, array_agg(task.id) AS ids
        FROM registry_spottask AS task
        WHERE EXISTS (
            SELECT FROM unit_sides WHERE ST_Intersects(unit_sides.geometry, task.location))
        UNION ALL
        SELECT 'registry_village', array_agg(village.id)
        FROM registry_village AS village
        WHERE EXISTS (
            SELECT FROM unit_sides WHERE ST_Intersects(unit_sides.geometry, village.location))
    ) AS points
    WHERE points.ids IS NOT NULL;
    PERFORM accounting_flush();
    PERFORM accounting_flush_tasks();
    RETURN NULL;
END
$function$
""",
    """
CREATE OR REPLACE FUNCTION accounting_points_written() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
DECLARE
    moved bigint[];
BEGIN
    IF current_setting('landrelease.accounting_deferred', true) = 'on' THEN
        RETURN NULL;
    END IF;
    -- A spot task's counts where it was, as it was (its year, organisation, review state).
    IF TG_TABLE_NAME = 'registry_spottask' AND TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO accounting_staletasks (unit_id, year, organisation_id)
        SELECT DISTINCT located.unit_id, extract(year FROM o.completed_on)::int,
               o.organisation_id
        FROM old_rows AS o
        JOIN accounting_pointunit AS located
          ON located.table_name = TG_TABLE_NAME AND located.record_id = o.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM accounting_pointunit
        WHERE table_name = TG_TABLE_NAME AND record_id IN (SELECT id FROM old_rows);
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(id) INTO moved FROM new_rows;
    ELSE
        SELECT array_agg(n.id) INTO moved
        FROM old_rows AS o JOIN new_rows AS n USING (id)
        WHERE ST_AsEWKB(o.location) IS DISTINCT FROM ST_AsEWKB(n.location);
    END IF;
    IF moved IS NOT NULL THEN
        PERFORM accounting_locate_points(TG_TABLE_NAME, moved);
    END IF;
    -- And where it is now, as it is now.
    IF TG_TABLE_NAME = 'registry_spottask' AND TG_OP = 'UPDATE' THEN
        PERFORM accounting_mark_tasks(updated.ids)
        FROM (SELECT array_agg(id) AS ids FROM new_rows) AS updated
        WHERE updated.ids IS NOT NULL;
    END IF;
    PERFORM accounting_flush_tasks();
    RETURN NULL;
END
$function$
""",
]

TRIGGER_FUNCTIONS.append(
    # TRUNCATE fires no row or transition-table trigger: the store is rebuilt from what is left.
    """
CREATE OR REPLACE FUNCTION accounting_registry_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp SET jit = off AS $function$
BEGIN
    IF current_setting('landrelease.accounting_deferred', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM accounting_rebuild_all();
    RETURN NULL;
END
$function$
"""
)

WRITTEN = {
    "registry_releasearea": "accounting_releases_written",
    "registry_hazardarea": "accounting_hazards_written",
    "registry_adminunit": "accounting_admin_units_written",
    "registry_spottask": "accounting_points_written",
    "registry_village": "accounting_points_written",
}
_TIMING = {
    "insert": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "update": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
}


def trigger_names() -> list[tuple[str, str]]:
    """(table, trigger) of every store trigger: ``<table>_accounting_<event>``."""
    return [
        (table, f"{table}_accounting_{event}")
        for table in WRITTEN
        for event in [*_TIMING, "truncate"]
    ]


def install(cursor) -> None:
    """(Re)create the store's functions and triggers; idempotent."""
    for statement in [*TABLES, *FUNCTIONS, *TRIGGER_FUNCTIONS]:
        cursor.execute(statement)
    for table, function in WRITTEN.items():
        for event, timing in _TIMING.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_accounting_{event} ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_accounting_{event} {timing.format(table=table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        cursor.execute(f"DROP TRIGGER IF EXISTS {table}_accounting_truncate ON {table}")
        cursor.execute(
            f"CREATE TRIGGER {table}_accounting_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION accounting_registry_truncated()"
        )


def uninstall(cursor) -> None:
    """Drop the triggers, functions and bookkeeping tables ``install`` made."""
    for table, trigger in trigger_names():
        cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    cursor.execute(
        "SELECT string_agg(oid::regprocedure::text, ', ') FROM pg_proc"
        " WHERE proname LIKE 'accounting\\_%%' AND pronamespace = 'public'::regnamespace"
    )
    (functions,) = cursor.fetchone()
    if functions:
        cursor.execute(f"DROP FUNCTION {functions}")
    cursor.execute(
        "DROP TABLE IF EXISTS accounting_staleseries, accounting_stalearea, accounting_staletasks"
    )
