package io.paystream.gateway;

import java.util.concurrent.CountDownLatch;

/**
 * The gateway as its own process: {@code deploy/gateway/run [--config FILE] [--key value ...]}, or
 * {@code java -jar paystream-gateway-<version>-app.jar ...}. Settings as README "The callback
 * gateway" lists them; a bad one stops it at start (exit status 2) with every problem named.
 * SIGTERM (Kubernetes, docker stop, Ctrl-C) shuts it down gracefully.
 */
public final class GatewayMain {
    private GatewayMain() {}

    public static void main(String[] args) throws InterruptedException {
        GatewaySettings settings;
        try {
            settings = GatewaySettings.load(args, System.getenv());
        } catch (InvalidGatewaySettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CallbackGateway gateway = CallbackGateway.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            stopped.countDown();
                        },
                        "gateway-shutdown"));
        stopped.await();
    }
}
