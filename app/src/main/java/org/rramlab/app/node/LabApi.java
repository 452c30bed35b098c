package org.rramlab.app.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.http.javadsl.server.Route;
import org.rramlab.http.ApiRoutes;
import org.rramlab.http.Auth;
import org.rramlab.http.EventLog;
import org.rramlab.http.EventStreams;
import org.rramlab.http.StreamSettings;
import org.rramlab.http.Tokens;
import org.rramlab.livestats.EventFeed;
import org.rramlab.livestats.StatisticsActor;
import org.rramlab.node.Spawner;

/**
 * The node's HTTP API around its resource routes: tokens, the event log and its feed, the live
 * streams, the OpenAPI document and the dashboard. One per node.
 */
public final class LabApi {
    /** How often at most a changed statistics report enters the event log ({@code rramlab.http.events.report-interval}). */
    public static final String REPORT_INTERVAL_KEY = "rramlab.http.events.report-interval";

    private final Tokens tokens;
    private final EventLog events;
    private final EventStreams streams;
    private final ApiRoutes routes;
    private final CompletableFuture<ActorRef<EventFeed.Command>> feed;

    private LabApi(Tokens tokens, EventLog events, EventStreams streams,
                   CompletableFuture<ActorRef<EventFeed.Command>> feed) {
        this.tokens = tokens;
        this.events = events;
        this.streams = streams;
        this.routes = new ApiRoutes(new Auth(tokens), streams);
        this.feed = feed;
    }

    /**
     * Opens the tokens ({@link Tokens#open}: configured, or generated into {@code <dataDir>/tokens.json})
     * and spawns the event feed ("event-feed"), which subscribes to the statistics once they run.
     *
     * @throws IllegalStateException when the token file cannot be read or written
     */
    public static LabApi start(ActorSystem<SpawnProtocol.Command> system, Config config, Path dataDir,
                               CompletableFuture<ActorRef<StatisticsActor.Command>> statistics) {
        return start(system, config, Tokens.open(config, dataDir), statistics);
    }

    /** The same with tokens of the caller's choosing (tests, embedding). */
    public static LabApi start(ActorSystem<SpawnProtocol.Command> system, Config config, Tokens tokens,
                               CompletableFuture<ActorRef<StatisticsActor.Command>> statistics) {
        StreamSettings settings = StreamSettings.from(config);
        Duration reportInterval = config.hasPath(REPORT_INTERVAL_KEY)
                ? config.getDuration(REPORT_INTERVAL_KEY) : Duration.ofSeconds(1);
        EventLog events = new EventLog(settings.capacity(), settings.maxBytes());
        EventStreams streams = new EventStreams(events, settings, system.executionContext());
        var feed = Spawner.spawn(system, EventFeed.create(events, statistics, reportInterval), "event-feed");
        return new LabApi(tokens, events, streams, feed);
    }

    /**
     * The whole HTTP surface: {@code open} (the node's /health and /ready) stays unguarded,
     * {@code api} (routes under /api that match the prefix themselves) needs tokens; see {@link ApiRoutes}.
     */
    public Route routes(Route open, Route api) {
        return routes.routes(open, api);
    }

    /** The tokens generated at this start, in clear, to print once; empty when configured or generated before. */
    public Optional<Tokens.Generated> generatedTokens() {
        return tokens.generated();
    }

    public Tokens tokens() {
        return tokens;
    }

    /** The event log: {@link EventLog#append} from any thread is as good as {@link EventFeed.Publish}. */
    public EventLog events() {
        return events;
    }

    public EventStreams streams() {
        return streams;
    }

    public CompletableFuture<ActorRef<EventFeed.Command>> feed() {
        return feed;
    }
}
