// EmailInfra on Azure: Functions (Flex Consumption) with storage, Key Vault and Application Insights reached by managed identity.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used to derive resource names.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Object id of the operator (user or group) who registers mailboxes: gets Key Vault secret and storage data access.')
param principalId string = ''

@description('NCRONTAB schedule of the poll fan-out timer (six fields).')
param pollSchedule string = '0 */5 * * * *'

@description('The period of pollSchedule; poll jobs are spread across it.')
param pollInterval string = '00:05:00'

param resourceGroupName string = ''
param storageAccountName string = ''
param functionAppName string = ''
param keyVaultName string = ''
param logAnalyticsName string = ''
param applicationInsightsName string = ''

var abbrs = {
  resourceGroup: 'rg-'
  storage: 'st'
  functionApp: 'func-'
  plan: 'plan-'
  identity: 'id-'
  keyVault: 'kv-'
  logAnalytics: 'log-'
  appInsights: 'appi-'
}
var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var appName = !empty(functionAppName) ? functionAppName : '${abbrs.functionApp}emailinfra-${token}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourceGroup}${environmentName}'
  location: location
  tags: tags
}

// The app's identity: one user-assigned identity for storage, Key Vault and monitoring.
module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.identity}emailinfra-${token}'
    location: location
    tags: tags
  }
}

// Tables and queues for the domain, blobs for deployment packages and Durable Task state.
module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storage}${token}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${take(token, 16)}'
  }
}

// Mailbox passwords: tables hold only secret names.
module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: !empty(keyVaultName) ? keyVaultName : '${abbrs.keyVault}${take(token, 20)}'
    location: location
    tags: tags
  }
}

// Logs, metrics and traces, with Entra ID authentication for ingestion.
module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: !empty(logAnalyticsName) ? logAnalyticsName : '${abbrs.logAnalytics}${token}'
    applicationInsightsName: !empty(applicationInsightsName) ? applicationInsightsName : '${abbrs.appInsights}${token}'
    location: location
    tags: tags
  }
}

// The Functions app itself on Flex Consumption.
module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: appName
    planName: '${abbrs.plan}${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${storage.outputs.deploymentContainerName}'
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultUri: keyVault.outputs.uri
    pollSchedule: pollSchedule
    pollInterval: pollInterval
  }
}

// Data-plane roles for the app identity and the operator.
module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: principalId
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
