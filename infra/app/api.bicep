param name string
param planName string
param location string
param tags object = {}
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param applicationInsightsConnectionString string
param keyVaultUri string
param pollSchedule string
param pollInterval string
@description('NCRONTAB (six fields) of the timer that starts warm-up days.')
param warmupSchedule string = '0 */5 * * * *'
@description('NCRONTAB (six fields) of the daily DNS audit of every sending domain.')
param auditSchedule string = '0 0 6 * * *'
@description('NCRONTAB schedule of the sweep that queues again unfinished sends whose job was lost.')
param sweepSchedule string = '0 */15 * * * *'
@description('NCRONTAB (six fields) of the timer that evaluates the health rules over every mailbox, domain and pool.')
param healthSchedule string = '0 */15 * * * *'

@description('Upper bound of instances; the send caps hold at any count, this bounds cost.')
param maximumInstanceCount int = 40

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: maximumInstanceCount, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // host storage and the app's own tables/queues: the same account, by managed identity
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'EmailInfraStorage__accountName', value: storageAccountName }
        { name: 'EmailInfraStorage__credential', value: 'managedidentity' }
        { name: 'EmailInfraStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'Secrets__KeyVaultUri', value: keyVaultUri }
        { name: 'PollSchedule', value: pollSchedule }
        { name: 'WarmupSchedule', value: warmupSchedule }
        { name: 'AuditSchedule', value: auditSchedule }
        { name: 'HealthSchedule', value: healthSchedule }
        { name: 'SweepSchedule', value: sweepSchedule }
        // the physical queue names: the queue triggers bind these settings and the producers read them (one name, both sides)
        { name: 'SendJobsQueue', value: 'send-jobs' }
        { name: 'OutboundJobsQueue', value: 'outbound-jobs' }
        { name: 'WebhookJobsQueue', value: 'webhook-jobs' }
        { name: 'PollJobsQueue', value: 'poll-jobs' }
        { name: 'Polling__Interval', value: pollInterval }
      ]
    }
  }
}

output name string = app.name
