package io.paystream.functions.reconcile;

import io.paystream.state.shop.PaymentChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Set;

/** The bill parser of each channel whose bill format is confirmed (docs/reconcile-formats.md). */
public final class BillParsers {
    /** WeChat Pay and Alipay; UnionPay's file format is not published where it could be checked. */
    public static final Set<PaymentChannel> CHANNELS = EnumSet.of(PaymentChannel.WECHAT, PaymentChannel.ALIPAY);

    private BillParsers() {}

    /** Parses a channel's trade bill of {@code billDate} from {@code in} into {@code sink}. */
    public static void parse(PaymentChannel channel, InputStream in, String billDate, String sourceFile, BillSink sink)
            throws IOException {
        switch (channel) {
            case WECHAT:
                WechatTradeBillParser.parse(in, billDate, sourceFile, sink);
                return;
            case ALIPAY:
                AlipayTradeBillParser.parse(in, billDate, sourceFile, sink);
                return;
            default:
                throw new IllegalArgumentException("no bill parser for " + channel + " (its format is unconfirmed)");
        }
    }
}
