package dev.chathistory.local.aws;

import dev.chathistory.local.iam.AccessCheck;
import java.util.List;

/**
 * What IAM checks AWS makes for a request to one service: the actions, the resources' ARNs,
 * and the condition keys of the request context.
 */
interface ServiceChecks {

    /**
     * @throws UnknownRequestException when the request is not one this knows
     */
    List<AccessCheck> checks(AwsCall call, String region, String accountId);
}
